package dev.parley.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SharedState} of one node: a map in memory. Bounded: expired entries are dropped as the map grows, and a key
 * is refused (as if taken) once {@link #capacity} live entries exist, so a flood cannot grow memory.
 */
public final class LocalSharedState implements SharedState {

    private record Entry(String value, Instant expires) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int capacity;

    public LocalSharedState(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        Instant now = clock.instant();
        if (entries.size() >= capacity / 2) {
            entries.values().removeIf(e -> expired(e, now));
            if (entries.size() >= capacity) {
                return false;
            }
        }
        Entry fresh = new Entry(value, ttl == null ? null : now.plus(ttl));
        Entry previous = entries.compute(key, (k, old) -> old == null || expired(old, now) ? fresh : old);
        return previous == fresh;
    }

    @Override
    public String get(String key) {
        Entry entry = entries.get(key);
        return entry == null || expired(entry, clock.instant()) ? null : entry.value();
    }

    @Override
    public boolean isShared() {
        return false;
    }

    private static boolean expired(Entry entry, Instant now) {
        return entry.expires() != null && !entry.expires().isAfter(now);
    }
}
