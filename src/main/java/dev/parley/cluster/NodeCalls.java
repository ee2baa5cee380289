package dev.parley.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Asks another node to do something for this one, or every node at once, through Redis: what acts on a meeting must
 * run on the node that carries it (ending it, removing someone, listing its people), whichever node the request came
 * to. A call is published on the node's channel ({@code <namespace>:calls:<node id>}); the node runs the operation's
 * handler and pushes the answer to a list of the caller's, which the caller waits on with a time limit. Redis's
 * publish/subscribe keeps nothing: a node that is down or slow leaves the caller with no answer, never a wrong one.
 * Without Redis (one node) there is nobody to call.
 */
@Component
public class NodeCalls implements SmartLifecycle {

    /** How long an answer waits in Redis for a caller that gave up. */
    private static final Duration ANSWER_LIFETIME = Duration.ofSeconds(10);
    /** Calls waiting to be handled at most; more are dropped (their callers time out), not queued without end. */
    private static final int MOST_WAITING = 200;
    private static final Logger log = LoggerFactory.getLogger(NodeCalls.class);

    private final StringRedisTemplate redis;
    private final RedisConnectionFactory factory;
    private final NodeRegistry nodes;
    private final String prefix;
    private final Map<String, Function<String, String>> handlers = new ConcurrentHashMap<>();
    private RedisMessageListenerContainer container;
    private ThreadPoolExecutor workers;

    NodeCalls(ObjectProvider<StringRedisTemplate> redis, ObjectProvider<RedisConnectionFactory> factory,
              NodeRegistry nodes, @Value("${parley.cluster.namespace}") String namespace) {
        this.redis = redis.getIfAvailable();
        this.factory = this.redis == null ? null : factory.getIfAvailable();
        this.nodes = nodes;
        this.prefix = namespace + ":calls:";
    }

    /**
     * Handles an operation the other nodes call on this one: the handler gets the call's body and answers a body
     * (for a broadcast, its answer is dropped). Another node's call runs on a worker thread of this class, this node's
     * own broadcast on the thread that broadcasts.
     */
    public void answer(String operation, Function<String, String> handler) {
        if (operation.indexOf('\n') >= 0 || handlers.putIfAbsent(operation, handler) != null) {
            throw new IllegalArgumentException("operation " + operation);
        }
    }

    /** The node's answer, or empty when it gave none within the limit (down, busy, or Redis unreachable). */
    public Optional<String> call(String nodeId, String operation, String body, Duration limit) {
        if (redis == null) {
            return Optional.empty();
        }
        String answerKey = prefix + "answer:" + UUID.randomUUID();
        try {
            Long listeners = redis.convertAndSend(prefix + nodeId, operation + "\n" + answerKey + "\n" + body);
            if (listeners == null || listeners == 0) {
                return Optional.empty();
            }
            return Optional.ofNullable(redis.opsForList().leftPop(answerKey, limit));
        } catch (RuntimeException e) {
            log.warn("Calling {} on node {} failed: {}", operation, nodeId, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Has every node run the operation, answering nothing: this one at once (whatever Redis does), the others when
     * Redis tells them. This node hears its own broadcast again, so a broadcast operation must be idempotent.
     */
    public void broadcast(String operation, String body) {
        run(operation, body, "");
        if (redis == null) {
            return;
        }
        try {
            redis.convertAndSend(prefix + "all", operation + "\n\n" + body);
        } catch (RuntimeException e) {
            log.warn("Could not tell the other nodes to {}: {}", operation, e.toString());
        }
    }

    private void received(Message message) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        int first = text.indexOf('\n');
        int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
        if (second < 0) {
            log.warn("Dropped a malformed call from Redis");
            return;
        }
        String operation = text.substring(0, first);
        String answerKey = text.substring(first + 1, second);
        String body = text.substring(second + 1);
        workers.execute(() -> run(operation, body, answerKey));
    }

    private void run(String operation, String body, String answerKey) {
        Function<String, String> handler = handlers.get(operation);
        if (handler == null) {
            log.warn("No handler for the call {}", operation);
            return;
        }
        String answer;
        try {
            answer = handler.apply(body);
        } catch (RuntimeException e) {
            log.warn("Handling the call {} failed: {}", operation, e.toString());
            log.debug("Handling the call {} failed", operation, e);
            return;
        }
        if (!answerKey.isEmpty() && answer != null) {
            try {
                redis.opsForList().rightPush(answerKey, answer);
                redis.expire(answerKey, ANSWER_LIFETIME);
            } catch (RuntimeException e) {
                log.warn("Could not answer the call {}: {}", operation, e.toString());
            }
        }
    }

    @Override
    public synchronized void start() {
        if (factory == null || container != null) {
            return;
        }
        workers = new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MOST_WAITING),
                new CustomizableThreadFactory("node-calls-"), new ThreadPoolExecutor.DiscardPolicy());
        container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        container.addMessageListener((message, pattern) -> received(message), ChannelTopic.of(prefix + nodes.id()));
        container.addMessageListener((message, pattern) -> received(message), ChannelTopic.of(prefix + "all"));
        container.afterPropertiesSet();
        container.start();
    }

    @Override
    public synchronized void stop() {
        if (container == null) {
            return;
        }
        try {
            container.destroy();
        } catch (Exception e) {
            log.debug("Stopping the call listener: {}", e.toString());
        }
        workers.shutdown();
        container = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return container != null;
    }

    /** Listens while the node registers itself (phase 1), so a node others see up also answers them. */
    @Override
    public int getPhase() {
        return 1;
    }
}
