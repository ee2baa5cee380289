package dev.parley.relay.bwe;

/**
 * Round trip as feedback shows it: per feedback, the shortest time from sending a packet it reports received to the
 * feedback's arrival. Kept smoothed; as a base, the minimum over the last 10 to 20 s (the round trip with no queue in
 * the way); and as the recent minimum, over the last 2 to 4 s. A recent minimum far above the base means a standing
 * queue: one that has not drained for seconds, unlike the peaks of the delay-based sawtooth.
 */
final class RoundTripTime {

    static final long STANDING_QUEUE_NANOS = 100_000_000;
    private static final long BASE_WINDOW_NANOS = 10_000_000_000L;
    private static final long RECENT_WINDOW_NANOS = 2_000_000_000L;
    private static final double SMOOTHING = 0.875;

    private final WindowedMin base = new WindowedMin(BASE_WINDOW_NANOS);
    private final WindowedMin recent = new WindowedMin(RECENT_WINDOW_NANOS);
    private long smoothed = -1;

    void onSample(long rttNanos, long nowNanos) {
        smoothed = smoothed < 0 ? rttNanos : (long) (SMOOTHING * smoothed + (1 - SMOOTHING) * rttNanos);
        base.add(rttNanos, nowNanos);
        recent.add(rttNanos, nowNanos);
    }

    /** Smoothed round trip, or -1 before the first sample. */
    long smoothed() {
        return smoothed;
    }

    /** Minimum of the last 10 to 20 s, or -1 before the first sample. */
    long base() {
        return base.min();
    }

    /** Whether the round trip has stayed more than 100 ms above the base for the last 2 s or longer. */
    boolean standingQueue() {
        return smoothed >= 0 && recent.min() - base.min() > STANDING_QUEUE_NANOS;
    }

    /** The minimum over the current and the previous window of a fixed length: no samples kept. */
    private static final class WindowedMin {

        private final long length;
        private long current = Long.MAX_VALUE;
        private long previous = Long.MAX_VALUE;
        private long start = Long.MIN_VALUE;

        WindowedMin(long length) {
            this.length = length;
        }

        void add(long value, long nowNanos) {
            if (start == Long.MIN_VALUE) {
                start = nowNanos;
            } else if (nowNanos - start >= length) {
                previous = nowNanos - start >= 2 * length ? Long.MAX_VALUE : current;
                current = Long.MAX_VALUE;
                start = nowNanos;
            }
            current = Math.min(current, value);
        }

        long min() {
            long min = Math.min(current, previous);
            return min == Long.MAX_VALUE ? -1 : min;
        }
    }
}
