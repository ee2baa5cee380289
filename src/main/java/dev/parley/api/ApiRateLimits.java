package dev.parley.api;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Each token's request allowance: a burst of {@code parley.api.requests-per-minute} (120 by default), refilled at
 * that rate. Counted per token, not per address: integrations run from a few shared servers. Refused tokens are not
 * counted (a 256-bit token is not guessed by trying; each costs one indexed lookup).
 */
@Component
class ApiRateLimits {

    /** Past this many allowances all are forgotten (and start full again); tokens are few. */
    private static final int CAPACITY = 10_000;

    private final int perMinute;
    private final ConcurrentHashMap<Long, Bucket> allowances = new ConcurrentHashMap<>();

    ApiRateLimits(@Value("${parley.api.requests-per-minute:120}") int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("parley.api.requests-per-minute must be positive");
        }
        this.perMinute = perMinute;
    }

    int perMinute() {
        return perMinute;
    }

    /** Takes one request from the token's allowance; when it is spent, how long until the next one. */
    Optional<Duration> refusal(long tokenId) {
        if (allowances.size() >= CAPACITY && !allowances.containsKey(tokenId)) {
            allowances.clear();
        }
        Bucket bucket = allowances.computeIfAbsent(tokenId, id -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
