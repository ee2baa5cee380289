package dev.parley.common;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allowances of requests that refill over time (bucket4j token buckets): a burst of {@code perMinute}, refilled at
 * that rate. One node keeps them in memory ({@link #inMemory}); several share them in Redis.
 */
@FunctionalInterface
public interface RateLimits {

    /** Takes one request from the key's allowance; when it is spent, how long until the next one. */
    Optional<Duration> take(String key, int perMinute);

    static BucketConfiguration perMinute(int perMinute) {
        return BucketConfiguration.builder().addLimit(bandwidth(perMinute)).build();
    }

    /** A burst of {@code perMinute}, refilled at that rate. */
    private static Bandwidth bandwidth(int perMinute) {
        return Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build();
    }

    static Optional<Duration> refusal(ConsumptionProbe probe) {
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** One node's allowances; past {@code capacity} keys all are forgotten (and start full again). */
    static RateLimits inMemory(int capacity) {
        ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
        return (key, perMinute) -> {
            if (buckets.size() >= capacity && !buckets.containsKey(key)) {
                buckets.clear();
            }
            Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(bandwidth(perMinute)).build());
            return refusal(bucket.tryConsumeAndReturnRemaining(1));
        };
    }
}
