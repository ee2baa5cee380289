package dev.parley.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Counts failed attempts (a wrong password, a wrong passcode) per key, such as a client address or an e-mail and
 * address, and blocks the key for a while once it reached the limit within the window. With back-off each further
 * block of the same key lasts twice as long as the one before, up to a day. The table is bounded: when it is full,
 * entries that block nothing are dropped first, so a flood of new keys cannot grow memory.
 */
public final class AttemptLimiter {

    private static final Duration LONGEST_BLOCK = Duration.ofDays(1);

    private final int maxFailures;
    private final Duration window;
    private final Duration block;
    private final boolean backOff;
    private final int capacity;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        int failures;
        Instant windowStart;
        Instant blockedUntil;
        int blocks;
        Instant lastFailure;
    }

    public AttemptLimiter(int maxFailures, Duration window, Duration block, boolean backOff, int capacity) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || block.isNegative() || capacity < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.block = block;
        this.backOff = backOff;
        this.capacity = capacity;
    }

    /** When the key is blocked at the moment, the instant its block ends. */
    public Optional<Instant> blockedUntil(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return entry.blockedUntil != null && now.isBefore(entry.blockedUntil)
                    ? Optional.of(entry.blockedUntil) : Optional.empty();
        }
    }

    /** Counts one failure; returns the end of the block when this failure started one. */
    public Optional<Instant> recordFailure(String key, Instant now) {
        if (!entries.containsKey(key) && entries.size() >= capacity) {
            makeRoom(now);
        }
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        synchronized (entry) {
            if (entry.blockedUntil != null && now.isBefore(entry.blockedUntil)) {
                return Optional.empty();
            }
            if (entry.windowStart == null || !now.isBefore(entry.windowStart.plus(window))) {
                entry.windowStart = now;
                entry.failures = 0;
            }
            entry.lastFailure = now;
            entry.failures++;
            if (entry.failures < maxFailures) {
                return Optional.empty();
            }
            entry.blocks++;
            Duration length = backOff ? backedOff(entry.blocks) : block;
            entry.blockedUntil = now.plus(length);
            entry.failures = 0;
            entry.windowStart = null;
            return Optional.of(entry.blockedUntil);
        }
    }

    /** A success: the key starts afresh. */
    public void reset(String key) {
        entries.remove(key);
    }

    /** Forgets every key the predicate matches (an admin unlocked an account). */
    public void resetWhere(Predicate<String> keys) {
        entries.keySet().removeIf(keys);
    }

    public int size() {
        return entries.size();
    }

    private Duration backedOff(int blocks) {
        Duration length = block;
        for (int i = 1; i < blocks && length.compareTo(LONGEST_BLOCK) < 0; i++) {
            length = length.multipliedBy(2);
        }
        return length.compareTo(LONGEST_BLOCK) > 0 ? LONGEST_BLOCK : length;
    }

    private void makeRoom(Instant now) {
        // With back-off an entry is remembered for a day after its last failure, so repeated blocks keep growing.
        Duration memory = backOff ? LONGEST_BLOCK : window;
        entries.values().removeIf(entry -> {
            synchronized (entry) {
                boolean blocking = entry.blockedUntil != null && now.isBefore(entry.blockedUntil);
                return !blocking && (entry.lastFailure == null || !now.isBefore(entry.lastFailure.plus(memory)));
            }
        });
        if (entries.size() >= capacity) {
            entries.values().removeIf(entry -> {
                synchronized (entry) {
                    return entry.blockedUntil == null || !now.isBefore(entry.blockedUntil);
                }
            });
        }
    }
}
