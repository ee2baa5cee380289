package dev.parley.cluster;

import dev.parley.testing.RedisSupport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Nodes of one deployment inside a test's process, without Spring: each a {@link NodeRegistry} and {@link NodeCalls}
 * of its own on the local Redis, in a namespace of their own, so that code above them (cascading) meets the real
 * coordination. Needs {@link RedisSupport}.
 */
public final class ClusterNodes implements AutoCloseable {

    /** One node: its registry (its id, the others it sees) and its calls. */
    public record Member(NodeRegistry registry, NodeCalls calls) {
    }

    private final String namespace = "parley-test-" + UUID.randomUUID();
    private final List<LettuceConnectionFactory> connections = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();

    /** A node, registered (one heartbeat written) and answering calls. */
    public Member start() throws InterruptedException {
        LettuceConnectionFactory connection = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(RedisSupport.url()));
        connection.afterPropertiesSet();
        connection.start();
        connections.add(connection);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("redis", new StringRedisTemplate(connection));
        beans.addBean("connection", connection);
        StaticListableBeanFactory none = new StaticListableBeanFactory();
        NodeRegistry registry = new NodeRegistry(beans.getBeanProvider(StringRedisTemplate.class),
                none.getBeanProvider(NodeStatus.class), Clock.systemUTC(), namespace, "", "127.0.0.1", 8080, "off",
                8443);
        NodeCalls calls = new NodeCalls(beans.getBeanProvider(StringRedisTemplate.class),
                beans.getBeanProvider(RedisConnectionFactory.class), registry, namespace);
        registry.start();
        registry.heartbeat();
        calls.start();
        awaitSubscribed(namespace + ":calls:" + registry.id());
        Member member = new Member(registry, calls);
        members.add(member);
        return member;
    }

    /** Every node writes its heartbeat again (they lapse after {@link NodeRegistry#LAPSE}). */
    public void heartbeats() {
        members.forEach(member -> member.registry().heartbeat());
    }

    /** Subscribing happens in the background: waits until Redis counts a listener on the node's channel. */
    private static void awaitSubscribed(String channel) throws InterruptedException {
        RedisClient client = RedisClient.create(RedisSupport.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 100; i++) {
                if (connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L) > 0) {
                    return;
                }
                Thread.sleep(50);
            }
        } finally {
            client.shutdown();
        }
        throw new AssertionError("node did not subscribe to " + channel);
    }

    @Override
    public void close() {
        for (Member member : members) {
            member.calls().stop();
            member.registry().stop();
        }
        connections.forEach(LettuceConnectionFactory::destroy);
    }
}
