package dev.parley.relay.bwe;

/**
 * The bitrate the receiver acknowledged: bytes of the packets it reported received over the last 500 ms of their
 * receive times (the receiver's clock). What the path actually carried, the base of every decrease. A ring of the
 * recent packets; at high rates the window shrinks to the ring's 1024 packets.
 */
final class AcknowledgedBitrate {

    static final long WINDOW_NANOS = 500_000_000;
    /** Less than this much receive time gives no estimate: a few packets say little. */
    static final long MIN_SPAN_NANOS = 250_000_000;
    private static final int CAPACITY = 1024;

    private final long[] arrivalNanos = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private int head;
    private int count;
    private long bytes;
    private long newestNanos = Long.MIN_VALUE;

    /** Adds a received packet; feed them in (about) arrival order. */
    void onReceived(long arrival, int size) {
        if (count == CAPACITY) {
            evictOldest();
        }
        int slot = (head + count) % CAPACITY;
        arrivalNanos[slot] = arrival;
        sizes[slot] = size;
        count++;
        bytes += size;
        newestNanos = Math.max(newestNanos, arrival);
        while (count > 1 && newestNanos - arrivalNanos[head] > WINDOW_NANOS) {
            evictOldest();
        }
    }

    /** Bits per second, or -1 while the packets span less than {@link #MIN_SPAN_NANOS} (and fit the ring). */
    long bitrate() {
        if (count < 2) {
            return -1;
        }
        long span = newestNanos - arrivalNanos[head];
        if (span <= 0 || (span < MIN_SPAN_NANOS && count < CAPACITY)) {
            return -1;
        }
        // the first packet's bytes arrived before the span started
        return (bytes - sizes[head]) * 8_000_000_000L / span;
    }

    private void evictOldest() {
        bytes -= sizes[head];
        head = (head + 1) % CAPACITY;
        count--;
    }
}
