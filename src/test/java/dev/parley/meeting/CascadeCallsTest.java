package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.cluster.ClusterNodes;
import dev.parley.testing.RedisSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The thread each other node's calls run on ends once idle: node ids change at every start of a node, and a thread
 * kept for each would pile up, one per restart of another node; and then nothing is kept for it.
 */
@ExtendWith(RedisSupport.class)
class CascadeCallsTest {

    private final ClusterNodes cluster = new ClusterNodes();
    private CascadeCalls calls;

    @AfterEach
    void stop() throws Exception {
        if (calls != null) {
            calls.stop();
        }
        cluster.close();
    }

    @Test
    void eachNodesThreadEndsOnceIdleAndComesBackWithTheNextWork() throws Exception {
        calls = new CascadeCalls(cluster.start().calls(), new ObjectMapper(), Duration.ofMillis(200));
        List<String> restarted = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // five starts of a node, each with a new id
            restarted.add("node-" + UUID.randomUUID());
        }
        List<String> ranOn = new ArrayList<>();
        for (String node : restarted) {
            CountDownLatch done = new CountDownLatch(1);
            assertThat(calls.submit(node, () -> {
                synchronized (ranOn) {
                    ranOn.add(Thread.currentThread().getName());
                }
                done.countDown();
            })).isTrue();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ranOn).as("each node's work on its own thread").hasSize(5).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("parley-cascade-node-"));

        await().atMost(Duration.ofSeconds(10)).until(() -> cascadeThreads(restarted).isEmpty());
        assertThat(calls.nodesKept()).isEqualTo(5);
        calls.forgetIdle();
        assertThat(calls.nodesKept()).as("nothing kept for nodes whose thread ended").isZero();

        CountDownLatch again = new CountDownLatch(1);
        calls.submit(restarted.get(0), again::countDown);
        assertThat(again.await(5, TimeUnit.SECONDS)).as("work for a node whose thread ended").isTrue();
        calls.forgetIdle();
        assertThat(calls.nodesKept()).as("a node whose thread still waits for work is kept").isEqualTo(1);
    }

    @Test
    void forgettingIdleNodesNeverLosesOrReordersANodesWork() throws Exception {
        calls = new CascadeCalls(cluster.start().calls(), new ObjectMapper(), Duration.ofMillis(1));
        String node = "node-" + UUID.randomUUID();
        List<Integer> ran = new ArrayList<>();
        int works = 2_000;
        CountDownLatch done = new CountDownLatch(works);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Thread forgetting = new Thread(() -> {
            while (done.getCount() > 0 && System.nanoTime() - deadline < 0) {
                calls.forgetIdle();
            }
        });
        forgetting.start();
        for (int i = 0; i < works; i++) {
            int n = i;
            assertThat(calls.submit(node, () -> {
                synchronized (ran) {
                    ran.add(n);
                }
                done.countDown();
            })).isTrue();
            if (i % 100 == 0) {
                Thread.sleep(5); // the node's thread ends idle meanwhile (it waits 1 ms for more)
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        forgetting.join(5_000);
        synchronized (ran) {
            assertThat(ran).as("every work ran once, in the order given").hasSize(works).isSorted();
        }
    }

    private static List<String> cascadeThreads(List<String> nodes) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> nodes.stream().anyMatch(node -> name.equals("parley-cascade-" + node))).toList();
    }
}
