package dev.parley.meeting;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts numbered events back in the order they were numbered in (0, 1, 2, ...), when they arrive out of it or twice:
 * each is handed on once, after all those before it. Cascading's transport events from a media node need it, since
 * the home handles calls on more than one thread. Not thread-safe: its owner serialises the calls.
 *
 * @param <T> the event
 */
final class EventOrder<T> {

    private final int mostEarly;
    private final Consumer<T> next;
    private final Map<Integer, T> early = new TreeMap<>();
    private int expected;

    /**
     * @param mostEarly how many events ahead of a missing one are kept; past that, {@link #offer} says the order is
     *     lost
     * @param next what each event is handed to, in order
     */
    EventOrder(int mostEarly, Consumer<T> next) {
        this.mostEarly = mostEarly;
        this.next = next;
    }

    /**
     * Takes event {@code number}: hands it on, and those it was holding back, when it is the next one; keeps it when
     * some before it are missing; drops it when it was handed on before.
     *
     * @return false when too many are waiting behind a missing one (the order is lost)
     */
    boolean offer(int number, T event) {
        if (number < expected) {
            return true;
        }
        early.put(number, event);
        for (T due = early.remove(expected); due != null; due = early.remove(expected)) {
            expected++;
            next.accept(due);
        }
        return early.size() <= mostEarly;
    }

    /** Takes event {@code number} as handed on by other means: it is dropped when it comes. */
    void skip(int number) {
        if (number != expected) {
            return;
        }
        expected++;
        for (T due = early.remove(expected); due != null; due = early.remove(expected)) {
            expected++;
            next.accept(due);
        }
    }

    /** Whether event {@code number} was handed on (or skipped). */
    boolean passed(int number) {
        return number < expected;
    }
}
