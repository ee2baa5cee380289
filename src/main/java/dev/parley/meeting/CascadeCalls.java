package dev.parley.meeting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.cluster.NodeCalls;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The calls between nodes that cascading makes ({@link MediaNodes}, {@link CascadeLinks}, {@link MediaNodeHandlers}):
 * JSON over {@link NodeCalls}, made off the caller's thread on one thread per called node, so that each node gets
 * its calls in order and one that hangs holds up only its own. A node that left a call unanswered is likely gone (its
 * heartbeat lapses within 15 s): for {@link #SILENCE} it is not sent calls whose loss costs nothing or has a way round.
 */
@Component
class CascadeCalls {

    /** How long a call to another node waits for its answer. */
    static final Duration LIMIT = Duration.ofSeconds(5);
    /** How long a node that left a call unanswered gets only the calls that must be tried. */
    static final Duration SILENCE = Duration.ofSeconds(20);
    /**
     * How long a node's thread waits for more work before it ends: node ids change at every start of a node, so a
     * thread kept for each would add one per restart of another node, for good.
     */
    static final Duration IDLE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(CascadeCalls.class);

    private final NodeCalls calls;
    private final ObjectMapper json;
    private final Map<String, ThreadPoolExecutor> byNode = new ConcurrentHashMap<>();
    private final Map<String, Long> silentUntil = new ConcurrentHashMap<>();
    private final Duration idle;
    private volatile boolean stopped;

    @Autowired
    CascadeCalls(NodeCalls calls, ObjectMapper json) {
        this(calls, json, IDLE);
    }

    CascadeCalls(NodeCalls calls, ObjectMapper json, Duration idle) {
        this.calls = calls;
        this.json = json;
        this.idle = idle;
    }

    @PreDestroy
    void stop() {
        stopped = true;
        byNode.values().forEach(ExecutorService::shutdownNow);
    }

    /** Answers an operation with a handler of its message type; what cannot be read or fails answers nothing. */
    <T> void answer(String operation, Class<T> type, Handler<T> handler) {
        calls.answer(operation, body -> {
            try {
                Object answer = handler.handle(json.readValue(body, type));
                return answer == null ? "" : write(answer);
            } catch (JsonProcessingException e) {
                log.warn("A cascading call ({}) this node cannot read: {}", operation, e.getOriginalMessage());
                return "";
            } catch (Exception e) {
                log.warn("A cascading call ({}) failed here: {}", operation, e.toString());
                return "";
            }
        });
    }

    @FunctionalInterface
    interface Handler<T> {
        Object handle(T message) throws Exception;
    }

    /**
     * Calls a node now, on the calling thread, and reads its answer as {@code type}; empty when it gave none (or an
     * empty one) in time, or, when it is silent and the call is not {@code needed}, without calling it.
     */
    <T> Optional<T> call(String node, String operation, Object message, Class<T> type, boolean needed) {
        return raw(node, operation, message, needed).filter(text -> !text.isEmpty()).map(text -> read(text, type));
    }

    /** Calls a node now, on the calling thread; whether it answered. */
    boolean reached(String node, String operation, Object message, boolean needed) {
        return raw(node, operation, message, needed).isPresent();
    }

    private Optional<String> raw(String node, String operation, Object message, boolean needed) {
        if (!needed && isSilent(node)) {
            return Optional.empty();
        }
        Optional<String> answer = calls.call(node, operation, write(message), LIMIT);
        if (answer.isEmpty()) {
            if (!isSilent(node)) {
                log.warn("Node {} did not answer {}; for {} s it gets only what must be tried", node, operation,
                        SILENCE.toSeconds());
            }
            silentUntil.put(node, System.nanoTime() + SILENCE.toNanos());
            return Optional.empty();
        }
        silentUntil.remove(node);
        return answer;
    }

    /** Whether the node left a call unanswered lately. */
    boolean isSilent(String node) {
        Long until = silentUntil.get(node);
        if (until != null && System.nanoTime() - until >= 0) {
            silentUntil.remove(node, until);
            return false;
        }
        return until != null;
    }

    /** Runs work that calls a node on that node's own thread, after what was queued for it; false when stopped. */
    boolean submit(String node, Runnable work) {
        if (stopped) {
            return false;
        }
        try {
            Runnable task = () -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("A call to node {} failed: {}", node, e.toString());
                }
            };
            // Queued inside compute: forgetIdle cannot drop the executor between finding it and queueing on it (the
            // node's work would then run on two threads, out of order).
            byNode.compute(node, (id, executor) -> {
                if (stopped && executor == null) {
                    throw new RejectedExecutionException("stopped"); // stop() may have shut down the others already
                }
                ThreadPoolExecutor on = executor != null ? executor : executor(id);
                on.execute(task);
                return on;
            });
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }

    /**
     * Forgets the nodes whose thread ended for want of work, and silences that are over: node ids change at every start
     * of a node, so what is kept for each would add up, one per restart of another node.
     */
    @Scheduled(fixedDelay = 60_000)
    void forgetIdle() {
        for (String node : byNode.keySet()) {
            byNode.computeIfPresent(node, (id, executor) -> {
                if (executor.getPoolSize() > 0 || !executor.getQueue().isEmpty()) {
                    return executor;
                }
                executor.shutdown();
                return null;
            });
        }
        long now = System.nanoTime();
        silentUntil.entrySet().removeIf(silence -> now - silence.getValue() >= 0);
    }

    /** How many nodes' executors are kept. */
    int nodesKept() {
        return byNode.size();
    }

    /** One thread for the node, in order, that ends when idle (and starts again with the next work). */
    private ThreadPoolExecutor executor(String node) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, idle.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "parley-cascade-" + node);
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Calls a node on its thread, its answer unread. */
    void tell(String node, String operation, Object message, boolean needed) {
        submit(node, () -> reached(node, operation, message, needed));
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer this node cannot read: " + e.getOriginalMessage());
        }
    }
}
