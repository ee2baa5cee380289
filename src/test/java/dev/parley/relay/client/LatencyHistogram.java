package dev.parley.relay.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free, allocation-free latency recorder: log-linear buckets over microseconds (exact below 32 µs, then 16
 * buckets per power of two, so a bucket is at most 1/16 = 6.25 % wide), plus exact count, sum, min and max.
 *
 * <p>{@link #record} may be called from any number of threads; readers see a recent, not necessarily consistent,
 * state. Percentiles report the upper edge of the bucket the rank falls in.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 4;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Values from 2^MAX_EXPONENT µs (about 12.7 days) on share the last bucket. */
    private static final int MAX_EXPONENT = 40;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 1) * SUB_COUNT;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();
    private final AtomicLong minNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong negative = new AtomicLong();

    /** Records one sample; negative values (a clock from another process) are counted apart and not recorded. */
    public void record(long nanos) {
        if (nanos < 0) {
            negative.incrementAndGet();
            return;
        }
        buckets.incrementAndGet(bucketOf(nanos / 1000));
        count.incrementAndGet();
        sumNanos.addAndGet(nanos);
        long min = minNanos.get();
        while (nanos < min && !minNanos.compareAndSet(min, nanos)) {
            min = minNanos.get();
        }
        long max = maxNanos.get();
        while (nanos > max && !maxNanos.compareAndSet(max, nanos)) {
            max = maxNanos.get();
        }
    }

    static int bucketOf(long micros) {
        if (micros < 2 * SUB_COUNT) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent >= MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
        return (exponent - SUB_BITS + 1) * SUB_COUNT + sub;
    }

    /** The largest microsecond value that falls into {@code bucket}. */
    static long bucketUpperMicros(int bucket) {
        if (bucket < 2 * SUB_COUNT) {
            return bucket;
        }
        int exponent = bucket / SUB_COUNT + SUB_BITS - 1;
        int sub = bucket % SUB_COUNT;
        long lower = (long) (SUB_COUNT + sub) << (exponent - SUB_BITS);
        return lower + (1L << (exponent - SUB_BITS)) - 1;
    }

    public long count() {
        return count.get();
    }

    /** Samples refused because they were negative. */
    public long negativeCount() {
        return negative.get();
    }

    public long minNanos() {
        return count.get() == 0 ? 0 : minNanos.get();
    }

    public long maxNanos() {
        return count.get() == 0 ? 0 : maxNanos.get();
    }

    public double meanNanos() {
        long n = count.get();
        return n == 0 ? 0 : (double) sumNanos.get() / n;
    }

    /**
     * The latency below or at which {@code percent} of the samples lie, as the upper edge of its bucket in
     * nanoseconds (never above {@link #maxNanos()}); 0 without samples.
     */
    public long percentileNanos(double percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100");
        }
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += buckets.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                long edge = bucketUpperMicros(i) * 1000 + 999;
                return Math.min(edge, maxNanos());
            }
        }
        return maxNanos();
    }

    /** Starts over; samples recorded concurrently may be lost or half counted. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i, 0);
        }
        count.set(0);
        sumNanos.set(0);
        minNanos.set(Long.MAX_VALUE);
        maxNanos.set(Long.MIN_VALUE);
        negative.set(0);
    }

    @Override
    public String toString() {
        return String.format("LatencyHistogram[n=%d, min=%.3f ms, p50=%.3f ms, p99=%.3f ms, max=%.3f ms]", count(),
                minNanos() / 1e6, percentileNanos(50) / 1e6, percentileNanos(99) / 1e6, maxNanos() / 1e6);
    }
}
