package dev.parley.relay.util;

import java.util.Objects;

/**
 * A map from {@code int} keys to non-null values, for the hot path: {@link #get(int)} is lock-free and allocation-free
 * (no boxing), writes copy the table under a lock and publish it through a volatile field.
 *
 * <p>Made for per-SSRC state: a handful of keys, written once when a stream appears, read for every packet. Writes
 * cost O(capacity), so it is the wrong map for keys that change often.
 *
 * <p>Open addressing with linear probing; the table is kept at most half full, so a probe ends at an empty slot.
 * A slot is empty when its value is null.
 */
public final class CopyOnWriteIntMap<V> {

    /** An immutable table; a new one replaces it on every write. */
    private static final class Table {
        final int[] keys;
        final Object[] values;
        final int size;

        Table(int capacity, int size) {
            this.keys = new int[capacity];
            this.values = new Object[capacity];
            this.size = size;
        }
    }

    private static final int MIN_CAPACITY = 8;

    private final Object writeLock = new Object();
    private volatile Table table = new Table(MIN_CAPACITY, 0);

    /** The value for {@code key}, or null. Never blocks, never allocates. */
    @SuppressWarnings("unchecked")
    public V get(int key) {
        Table t = table;
        int mask = t.keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            Object value = t.values[i];
            if (value == null) {
                return null;
            }
            if (t.keys[i] == key) {
                return (V) value;
            }
            i = (i + 1) & mask;
        }
    }

    public boolean containsKey(int key) {
        return get(key) != null;
    }

    public int size() {
        return table.size;
    }

    public boolean isEmpty() {
        return table.size == 0;
    }

    /** Maps {@code key} to {@code value}; returns the previous value or null. */
    public V put(int key, V value) {
        Objects.requireNonNull(value, "value");
        synchronized (writeLock) {
            Table old = table;
            V previous = get(key);
            int size = previous == null ? old.size + 1 : old.size;
            Table next = new Table(capacityFor(size), size);
            copyInto(old, next, key, false);
            insert(next, key, value);
            table = next;
            return previous;
        }
    }

    /** Maps {@code key} to {@code value} unless it is mapped already; returns the value now mapped. */
    public V putIfAbsent(int key, V value) {
        Objects.requireNonNull(value, "value");
        synchronized (writeLock) {
            V existing = get(key);
            if (existing != null) {
                return existing;
            }
            put(key, value);
            return value;
        }
    }

    /** Removes {@code key}; returns the value it had or null. */
    public V remove(int key) {
        synchronized (writeLock) {
            Table old = table;
            V previous = get(key);
            if (previous == null) {
                return null;
            }
            Table next = new Table(capacityFor(old.size - 1), old.size - 1);
            copyInto(old, next, key, true);
            table = next;
            return previous;
        }
    }

    public void clear() {
        synchronized (writeLock) {
            table = new Table(MIN_CAPACITY, 0);
        }
    }

    /** Calls {@code action} for each entry of one consistent snapshot; writes made meanwhile are not seen. */
    @SuppressWarnings("unchecked")
    public void forEach(IntObjectConsumer<? super V> action) {
        Table t = table;
        for (int i = 0; i < t.values.length; i++) {
            Object value = t.values[i];
            if (value != null) {
                action.accept(t.keys[i], (V) value);
            }
        }
    }

    @FunctionalInterface
    public interface IntObjectConsumer<V> {
        void accept(int key, V value);
    }

    private static void copyInto(Table from, Table to, int skipKey, boolean skip) {
        for (int i = 0; i < from.values.length; i++) {
            Object value = from.values[i];
            if (value != null && !(skip && from.keys[i] == skipKey)) {
                insert(to, from.keys[i], value);
            }
        }
    }

    private static void insert(Table t, int key, Object value) {
        int mask = t.keys.length - 1;
        int i = mix(key) & mask;
        while (t.values[i] != null && t.keys[i] != key) {
            i = (i + 1) & mask;
        }
        t.keys[i] = key;
        t.values[i] = value;
    }

    /** Smallest power of two that keeps the table at most half full. */
    private static int capacityFor(int size) {
        int capacity = MIN_CAPACITY;
        while (capacity < size * 2) {
            capacity <<= 1;
        }
        return capacity;
    }

    /** SSRCs are random but sequence-like keys are not; spread the bits before masking. */
    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
