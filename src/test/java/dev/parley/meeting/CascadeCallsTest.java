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
 * kept for each would pile up, one per restart of another node.
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

        CountDownLatch again = new CountDownLatch(1);
        calls.submit(restarted.get(0), again::countDown);
        assertThat(again.await(5, TimeUnit.SECONDS)).as("work for a node whose thread ended").isTrue();
    }

    private static List<String> cascadeThreads(List<String> nodes) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> nodes.stream().anyMatch(node -> name.equals("parley-cascade-" + node))).toList();
    }
}
