package dev.parley.api;

import dev.parley.common.RateLimits;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Each token's request allowance: a burst of {@code parley.api.requests-per-minute} (120 by default), refilled at
 * that rate. Counted per token, not per address: integrations run from a few shared servers. Refused tokens are not
 * counted (a 256-bit token is not guessed by trying; each costs one indexed lookup).
 */
@Component
class ApiRateLimits {

    private final int perMinute;
    private final RateLimits allowances;

    ApiRateLimits(@Value("${parley.api.requests-per-minute:120}") int perMinute, RateLimits allowances) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("parley.api.requests-per-minute must be positive");
        }
        this.perMinute = perMinute;
        this.allowances = allowances;
    }

    int perMinute() {
        return perMinute;
    }

    /** Takes one request from the token's allowance; when it is spent, how long until the next one. */
    Optional<Duration> refusal(long tokenId) {
        return allowances.take("api-token:" + tokenId, perMinute);
    }
}
