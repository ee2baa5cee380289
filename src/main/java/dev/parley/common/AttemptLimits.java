package dev.parley.common;

import java.time.Duration;

/** Makes the {@link AttemptLimiter}s: in memory for one node, shared by every node of a deployment for several. */
@FunctionalInterface
public interface AttemptLimits {

    /**
     * @param name what the limiter counts (its keys are told from other limiters' by it where they are shared)
     * @param capacity the most keys one node keeps in memory
     */
    AttemptLimiter limiter(String name, int maxFailures, Duration window, Duration block, boolean backOff,
                           int capacity);

    /** Limits of one node, each in its own memory. */
    static AttemptLimits inMemory() {
        return (name, maxFailures, window, block, backOff, capacity) ->
                new MemoryAttemptLimiter(maxFailures, window, block, backOff, capacity);
    }
}
