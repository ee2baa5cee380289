package dev.parley.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Asks another node to do something for this one, or every node at once, through Redis: what acts on a meeting must
 * run on the node that carries it (ending it, removing someone, listing its people), whichever node the request came
 * to. A call is published on the node's channel ({@code <namespace>:calls:<node id>}) with the caller's time limit;
 * the node runs the operation's handler and pushes the answer to a list of the caller's, which the caller waits on for
 * that long. Redis's publish/subscribe keeps nothing: a node that is down or slow leaves the caller with no answer. A
 * call that waited in the node's queue for longer than its limit is dropped there, not run after its caller gave up;
 * one that started in time but ended late may have been done while its caller heard nothing. Without Redis (one node)
 * there is nobody to call.
 */
@Component
public class NodeCalls implements SmartLifecycle {

    /** How long an answer waits in Redis for a caller that gave up. */
    private static final Duration ANSWER_LIFETIME = Duration.ofSeconds(10);
    /** Calls waiting to be handled at most; more are dropped (their callers time out), not queued without end. */
    private static final int MOST_WAITING = 200;
    /** How long stopping waits for the calls being handled. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Calls handled at once. */
    private static final int WORKERS = 2;
    /** The longest operation name taken from a call (the names are short words). */
    private static final int MOST_OPERATION_CHARS = 100;
    /** The longest answer key taken from a call (a caller's is the prefix, "answer:" and a UUID). */
    private static final int MOST_KEY_CHARS = 200;
    /** Pushes an answer and sets its lifetime in one step, so that no answer outlives it. */
    private static final RedisScript<Long> PUSH_ANSWER = RedisScript.of("""
            redis.call('RPUSH', KEYS[1], ARGV[1])
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            """, Long.class);
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
        return callEach(List.of(nodeId), operation, body, limit).getOrDefault(nodeId, Optional.empty());
    }

    /**
     * Asks several nodes at once and gathers their answers within one limit (a node that gave none maps to empty):
     * every call is published first, so slow nodes cost the limit once, not once each.
     */
    public Map<String, Optional<String>> callEach(List<String> nodeIds, String operation, String body,
                                                  Duration limit) {
        Map<String, Optional<String>> answers = new LinkedHashMap<>();
        nodeIds.forEach(node -> answers.put(node, Optional.empty()));
        if (redis == null || nodeIds.isEmpty()) {
            return answers;
        }
        Map<String, String> asked = new LinkedHashMap<>();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (String node : nodeIds) {
                String answerKey = prefix + "answer:" + UUID.randomUUID();
                Long listeners = redis.convertAndSend(prefix + node,
                        operation + "\n" + answerKey + "\n" + limit.toMillis() + "\n" + body);
                if (listeners != null && listeners > 0) {
                    asked.put(node, answerKey);
                }
            }
            for (Map.Entry<String, String> call : asked.entrySet()) {
                long left = deadline - System.nanoTime();
                // BLPOP counts whole seconds (a part is rounded up); with no time left the answer is only looked for.
                String answer = left > 0
                        ? redis.opsForList().leftPop(call.getValue(), Duration.ofNanos(left))
                        : redis.opsForList().leftPop(call.getValue());
                answers.put(call.getKey(), Optional.ofNullable(answer));
            }
        } catch (RuntimeException e) {
            log.warn("Calling {} on nodes {} failed: {}", operation, nodeIds, e.toString());
        }
        return answers;
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
            redis.convertAndSend(prefix + "all", operation + "\n\n0\n" + body);
        } catch (RuntimeException e) {
            log.warn("Could not tell the other nodes to {}: {}", operation, e.toString());
        }
    }

    /** On the subscription's thread: read, checked and handed to a worker (or dropped when they are all busy). */
    private void received(Message message) {
        long receivedAt = System.nanoTime();
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        int first = text.indexOf('\n');
        int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
        int third = second < 0 ? -1 : text.indexOf('\n', second + 1);
        if (third < 0 || first > MOST_OPERATION_CHARS) {
            log.warn("Dropped a malformed call from Redis");
            return;
        }
        String operation = text.substring(0, first);
        String answerKey = text.substring(first + 1, second);
        long limitMillis;
        try {
            limitMillis = Long.parseLong(text.substring(second + 1, third));
        } catch (NumberFormatException e) {
            log.warn("Dropped the call {} from Redis: its time limit does not read", operation);
            return;
        }
        boolean answersAnother = !answerKey.startsWith(prefix + "answer:") || answerKey.length() > MOST_KEY_CHARS;
        if (!answerKey.isEmpty() && answersAnother) {
            log.warn("Dropped the call {} from Redis: its answer would go to a key that is not an answer's", operation);
            return;
        }
        String body = text.substring(third + 1);
        workers.execute(() -> {
            long waitedMillis = (System.nanoTime() - receivedAt) / 1_000_000;
            if (limitMillis > 0 && waitedMillis >= limitMillis) {
                log.warn("Dropped the call {}: it waited {} ms here, and its caller stopped waiting after {} ms",
                        operation, waitedMillis, limitMillis);
                return;
            }
            run(operation, body, answerKey);
        });
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
                redis.execute(PUSH_ANSWER, List.of(answerKey), answer, String.valueOf(ANSWER_LIFETIME.toMillis()));
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
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MOST_WAITING), new CustomizableThreadFactory("node-calls-"),
                (call, pool) -> {
                    if (!pool.isShutdown()) {
                        log.warn("Dropped a call from Redis: {} are waiting already", MOST_WAITING);
                    }
                });
        workers.allowCoreThreadTimeOut(true);
        container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        // Messages are handed on where they arrive (reading one is quick); the container's default starts a thread
        // for each.
        container.setTaskExecutor(new SyncTaskExecutor());
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
        try {
            // A call being handled finishes (and answers, and audits) while Redis and the database are still there.
            if (!workers.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Calls from other nodes were still being handled after {} s; stopping anyway",
                        STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
