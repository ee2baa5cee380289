package dev.parley.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts failed attempts (a wrong password, a wrong passcode) per key, such as a client address or an e-mail and
 * address, and blocks the key for a while once it reached the limit within the window; with back-off, each further
 * block of the same key lasts twice as long as the one before, up to {@link #LONGEST_BLOCK}. Made by
 * {@link AttemptLimits}: one node counts in memory, several count together.
 */
public interface AttemptLimiter {

    Duration LONGEST_BLOCK = Duration.ofDays(1);

    /** When the key is blocked at the moment, the instant its block ends. */
    Optional<Instant> blockedUntil(String key, Instant now);

    /** Counts one failure; returns the end of the block when this failure started one. */
    Optional<Instant> recordFailure(String key, Instant now);

    /** A success: the key starts afresh. */
    void reset(String key);

    /** Forgets every key that starts with {@code prefix} (an admin unlocked an account). */
    void resetPrefix(String prefix);

    /** Refuses limits that block nothing or forever. */
    static void checkLimits(int maxFailures, Duration window, Duration block) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || block.isNegative()) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** How long the {@code blocks}-th block in a row lasts with back-off. */
    static Duration backedOff(Duration block, int blocks) {
        Duration length = block;
        for (int i = 1; i < blocks && length.compareTo(LONGEST_BLOCK) < 0; i++) {
            length = length.multipliedBy(2);
        }
        return length.compareTo(LONGEST_BLOCK) > 0 ? LONGEST_BLOCK : length;
    }
}
