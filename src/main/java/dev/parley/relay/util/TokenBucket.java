package dev.parley.relay.util;

/**
 * A token bucket: up to {@code burst} tokens, refilled at {@code perSecond}; each event takes one. Time is passed in
 * (nanoseconds from {@link System#nanoTime()}), so checking allocates nothing and tests need no sleeping. Not
 * thread-safe: one owner thread, or the owner's lock.
 */
public final class TokenBucket {

    private final double burst;
    private final double tokensPerNano;
    private double tokens;
    private long updatedNanos;

    public TokenBucket(int burst, double perSecond, long nowNanos) {
        if (burst < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("burst must be at least 1 and the rate positive");
        }
        this.burst = burst;
        this.tokensPerNano = perSecond / 1e9;
        this.tokens = burst;
        this.updatedNanos = nowNanos;
    }

    /** Takes a token if there is one. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely (its owner has been quiet long enough to forget it). */
    public boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            updatedNanos = nowNanos;
        }
    }
}
