package dev.parley.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AttemptLimiter} of one node, in memory. The table is bounded: when it is full, entries that block nothing
 * are dropped first, so a flood of new keys cannot grow memory.
 */
public final class MemoryAttemptLimiter implements AttemptLimiter {


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

    public MemoryAttemptLimiter(int maxFailures, Duration window, Duration block, boolean backOff, int capacity) {
        AttemptLimiter.checkLimits(maxFailures, window, block);
        if (capacity < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.block = block;
        this.backOff = backOff;
        this.capacity = capacity;
    }

    @Override
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

    @Override
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

    @Override
    public void reset(String key) {
        entries.remove(key);
    }

    @Override
    public void resetPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    public int size() {
        return entries.size();
    }

    private Duration backedOff(int blocks) {
        return AttemptLimiter.backedOff(block, blocks);
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
