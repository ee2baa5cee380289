package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.RedisSupport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Calls between nodes through the local Redis, each node a {@link NodeCalls} of its own in this process: answers
 * gathered from several nodes at once, a call that waited past its caller's limit dropped rather than run late, a
 * call that does not say who called dropped, and answers published only on the answer channels.
 */
@ExtendWith(RedisSupport.class)
class NodeCallsTest {

    private final String namespace = "parley-test-" + UUID.randomUUID();
    private final List<LettuceConnectionFactory> connections = new ArrayList<>();
    private final List<NodeCalls> nodes = new ArrayList<>();
    private final Map<NodeCalls, String> idOf = new IdentityHashMap<>();
    private StringRedisTemplate redis;

    @AfterEach
    void stop() {
        nodes.forEach(NodeCalls::stop);
        connections.forEach(LettuceConnectionFactory::destroy);
    }

    private NodeCalls node() {
        LettuceConnectionFactory connection = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(RedisSupport.url()));
        connection.afterPropertiesSet();
        connection.start();
        connections.add(connection);
        redis = new StringRedisTemplate(connection);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("redis", redis);
        beans.addBean("connection", connection);
        StaticListableBeanFactory none = new StaticListableBeanFactory();
        NodeRegistry registry = new NodeRegistry(none.getBeanProvider(StringRedisTemplate.class),
                none.getBeanProvider(NodeStatus.class), Clock.systemUTC(), namespace, "", "127.0.0.1", 8080, "off",
                8443);
        NodeCalls calls = new NodeCalls(beans.getBeanProvider(StringRedisTemplate.class),
                beans.getBeanProvider(RedisConnectionFactory.class), registry, namespace);
        nodes.add(calls);
        idOf.put(calls, registry.id());
        return calls;
    }

    private void started(NodeCalls... calls) throws InterruptedException {
        for (NodeCalls call : calls) {
            call.start();
        }
        // Subscribing happens in the background: wait until Redis counts a listener on every node's channel.
        RedisClient client = RedisClient.create(RedisSupport.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String[] channels = Stream.of(calls).map(c -> namespace + ":calls:" + idOf.get(c)).toArray(String[]::new);
            for (int i = 0; i < 100; i++) {
                if (connection.sync().pubsubNumsub(channels).values().stream().allMatch(count -> count > 0)) {
                    return;
                }
                Thread.sleep(50);
            }
        } finally {
            client.shutdown();
        }
        throw new AssertionError("the nodes did not subscribe");
    }

    @Test
    void answersComeFromSeveralNodesAskedAtOnce() throws Exception {
        NodeCalls a = node();
        NodeCalls b = node();
        NodeCalls c = node();
        b.answer("echo", body -> "b:" + body);
        c.answer("echo", body -> "c:" + body);
        started(a, b, c);

        Map<String, Optional<String>> answers = a.callEach(List.of(idOf.get(b), idOf.get(c), "no-such-node"),
                "echo", "hello", Duration.ofSeconds(3));

        assertThat(answers).containsEntry(idOf.get(b), Optional.of("b:hello"))
                .containsEntry(idOf.get(c), Optional.of("c:hello"))
                .as("a node nobody listens for answers nothing").containsEntry("no-such-node", Optional.empty());
        assertThat(a.call(idOf.get(c), "echo", "again", Duration.ofSeconds(3))).contains("c:again");
    }

    @Test
    void aCallThatWaitedPastItsCallersLimitIsDroppedNotRunLate() throws Exception {
        NodeCalls a = node();
        NodeCalls b = node();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        b.answer("slow", body -> {
            started.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        });
        started(a, b);

        // The first two take both of B's workers and hang; the third waits in B's queue while its caller gives up.
        for (int i = 0; i < 3; i++) {
            assertThat(a.call(idOf.get(b), "slow", String.valueOf(i), Duration.ofMillis(1000)))
                    .as("call %d: no answer within its limit", i).isEmpty();
        }
        // The caller counts its limit from before it publishes, B from when the call arrives: when the caller gives
        // up, the third call has waited on B a little less than its limit (seen in CI: freed at once, it still ran).
        // A second more makes it plainly too old.
        Thread.sleep(1_000);
        release.countDown();
        b.stop(); // waits for the workers: the queued call is taken, and dropped, before this returns

        assertThat(started).as("handlers started: the two that began in time, not the one that waited too long")
                .hasValue(2);
    }

    @Test
    void aCallThatDoesNotSayWhoCalledIsDroppedAndAnswersGoOnlyToAnswerChannels() throws Exception {
        NodeCalls a = node();
        NodeCalls b = node();
        AtomicInteger handled = new AtomicInteger();
        b.answer("echo", body -> {
            handled.incrementAndGet();
            return body;
        });
        started(a, b);
        List<String> channels = new CopyOnWriteArrayList<>();
        RedisClient client = RedisClient.create(RedisSupport.url());
        try (StatefulRedisPubSubConnection<String, String> watch = client.connectPubSub()) {
            watch.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    channels.add(channel);
                }
            });
            watch.sync().psubscribe(namespace + ":*");
            String toB = namespace + ":calls:" + idOf.get(b);

            // No "caller's id:call id" (a key's name, say), and no call id: both dropped unrun.
            redis.convertAndSend(toB, "echo\n" + namespace + "-victim\n3000\nx");
            redis.convertAndSend(toB, "echo\nnode-without-call-id:\n3000\nx");
            // A caller that names another channel gets its answer below the answer channels all the same.
            redis.convertAndSend(toB, "echo\n" + namespace + ":calls:" + idOf.get(a) + ":1\n3000\nx");
            // A call made after them, on the same channel, is answered: by then the others have been handled.
            assertThat(a.call(idOf.get(b), "echo", "checked", Duration.ofSeconds(3))).contains("checked");
            for (int i = 0; i < 40 && channels.stream().filter(c -> c.contains(":answers:")).count() < 2; i++) {
                Thread.sleep(50);
            }
        } finally {
            client.shutdown();
        }

        assertThat(handled).as("the two calls that said who called were run, not the others").hasValue(2);
        assertThat(channels).as("B published only answers, below the answer channels")
                .filteredOn(channel -> !channel.startsWith(namespace + ":calls:" + idOf.get(b)))
                .allMatch(channel -> channel.startsWith(namespace + ":calls:answers:"), "an answer channel")
                .hasSize(2);
        assertThat(redis.keys(namespace + "*")).as("calls and answers leave no keys").isEmpty();
    }
}
