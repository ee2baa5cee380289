package dev.parley.cluster;

import java.time.Duration;

/**
 * Small facts every Parley node of a deployment must agree on, such as which join tickets were spent: one node alone
 * keeps them in its memory ({@link LocalSharedState}), several share them in Redis ({@link RedisSharedState}).
 */
public interface SharedState {

    /**
     * Stores {@code value} under {@code key} unless the key holds a value already.
     *
     * @param ttl how long the value lives, or null for as long as the store keeps it
     * @return true when stored, false when the key was taken
     */
    boolean putIfAbsent(String key, String value, Duration ttl);

    /** The value under {@code key}, or null. */
    String get(String key);

    /** Whether other nodes see this state (Redis), or only this process. */
    boolean isShared();
}
