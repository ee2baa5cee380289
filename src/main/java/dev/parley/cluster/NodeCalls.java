package dev.parley.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Asks another node to do something for this one, or every node at once, through Redis: what acts on a meeting must
 * run on the node that carries it (ending it, removing someone, listing its people), whichever node the request came
 * to. A call is published on the node's channel ({@code <namespace>:calls:<node id>}) with the caller's time limit;
 * the node runs the operation's handler and publishes the answer on the caller's own answer channel
 * ({@code <namespace>:calls:answers:<caller's id>}), where the caller waits for it that long. Nothing is written to
 * keys, and no connection is opened per call. Redis's publish/subscribe keeps nothing: a node that is down or slow
 * leaves the caller with no answer. A call that waited in the node's queue for longer than its limit is dropped there,
 * not run after its caller gave up; one that started in time but ended late may have been done while its caller heard
 * nothing. Without Redis (one node) there is nobody to call.
 */
@Component
public class NodeCalls implements SmartLifecycle {

    /** Calls waiting to be handled at most; more are dropped (their callers time out), not queued without end. */
    private static final int MOST_WAITING = 200;
    /** How long stopping waits for the calls being handled. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Calls handled at once. */
    private static final int WORKERS = 2;
    /** The longest operation name taken from a call (the names are short words). */
    private static final int MOST_OPERATION_CHARS = 100;
    /** The longest "caller id:call id" taken from a call (node ids are a host name, a port and 8 characters). */
    private static final int MOST_REPLY_CHARS = 400;
    private static final Logger log = LoggerFactory.getLogger(NodeCalls.class);

    private final StringRedisTemplate redis;
    private final RedisConnectionFactory factory;
    private final NodeRegistry nodes;
    private final String prefix;
    private final Map<String, Function<String, String>> handlers = new ConcurrentHashMap<>();
    /** This node's calls waiting for their answers, by call id. */
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
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
        if (redis == null || nodeIds.isEmpty() || !isRunning()) {
            return answers;
        }
        Map<String, String> asked = new LinkedHashMap<>();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (String node : nodeIds) {
                String callId = UUID.randomUUID().toString();
                waiting.put(callId, new CompletableFuture<>());
                asked.put(node, callId);
                Long listeners = redis.convertAndSend(prefix + node, operation + "\n" + nodes.id() + ":" + callId
                        + "\n" + limit.toMillis() + "\n" + body);
                if (listeners == null || listeners == 0) {
                    waiting.remove(callId); // nobody listens there: no answer will come
                }
            }
            for (Map.Entry<String, String> call : asked.entrySet()) {
                CompletableFuture<String> answer = waiting.get(call.getValue());
                if (answer == null) {
                    continue;
                }
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    answers.put(call.getKey(), Optional.ofNullable(answer.get(left, TimeUnit.NANOSECONDS)));
                } catch (TimeoutException e) {
                    // no answer in time
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Calling {} on nodes {} failed: {}", operation, nodeIds, e.toString());
        } finally {
            asked.values().forEach(waiting::remove);
        }
        return answers;
    }

    /**
     * Has every node run the operation, answering nothing: this one at once (whatever Redis does), the others when
     * Redis tells them. This node hears its own broadcast again, so a broadcast operation must be idempotent.
     */
    public void broadcast(String operation, String body) {
        run(operation, body, null);
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
        if (third < 0 || first > MOST_OPERATION_CHARS || second - first - 1 > MOST_REPLY_CHARS) {
            log.warn("Dropped a malformed call from Redis");
            return;
        }
        String operation = text.substring(0, first);
        String replyTo = text.substring(first + 1, second);
        long limitMillis;
        try {
            limitMillis = Long.parseLong(text.substring(second + 1, third));
        } catch (NumberFormatException e) {
            log.warn("Dropped the call {} from Redis: its time limit does not read", operation);
            return;
        }
        // "caller's node id:call id" (the id is a UUID, after the last colon), or nothing for a broadcast.
        int colon = replyTo.lastIndexOf(':');
        if (!replyTo.isEmpty() && (colon <= 0 || colon == replyTo.length() - 1)) {
            log.warn("Dropped the call {} from Redis: it does not say who called", operation);
            return;
        }
        // Always below the answer channels: a call cannot make this node publish anywhere else.
        Reply reply = replyTo.isEmpty() ? null
                : new Reply(prefix + "answers:" + replyTo.substring(0, colon), replyTo.substring(colon + 1));
        String body = text.substring(third + 1);
        workers.execute(() -> {
            long waitedMillis = (System.nanoTime() - receivedAt) / 1_000_000;
            if (limitMillis > 0 && waitedMillis >= limitMillis) {
                log.warn("Dropped the call {}: it waited {} ms here, and its caller stopped waiting after {} ms",
                        operation, waitedMillis, limitMillis);
                return;
            }
            run(operation, body, reply);
        });
    }

    /** Where a call's answer goes: the caller's answer channel, and the call's id there. */
    private record Reply(String channel, String callId) {
    }

    /** An answer to one of this node's calls: "call id", a line, the answer; one nobody waits for is dropped. */
    private void answered(Message message) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        int line = text.indexOf('\n');
        CompletableFuture<String> call = line < 0 ? null : waiting.get(text.substring(0, line));
        if (call != null) {
            call.complete(text.substring(line + 1));
        }
    }

    /** @param reply where the answer goes, or null when nobody waits for one (a broadcast) */
    private void run(String operation, String body, Reply reply) {
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
        if (reply != null && answer != null) {
            try {
                redis.convertAndSend(reply.channel(), reply.callId() + "\n" + answer);
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
        container.addMessageListener((message, pattern) -> answered(message),
                ChannelTopic.of(prefix + "answers:" + nodes.id()));
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
