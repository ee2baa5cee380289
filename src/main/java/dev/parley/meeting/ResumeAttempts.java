package dev.parley.meeting;

import dev.parley.common.AttemptLimiter;
import dev.parley.common.AttemptLimits;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Slows down resume attempts with tokens that do not work, by client address: a page that lost its place tries once
 * or twice and then joins again, so ten failures in ten minutes block the address for a minute, then twice as long
 * each time. Tokens are 256 random bits; this keeps a guesser from even trying at speed.
 */
@Component
class ResumeAttempts {

    static final int MAX_FAILURES = 10;

    private final AttemptLimiter byAddress;
    private final Clock clock;

    ResumeAttempts(Clock clock, AttemptLimits limiters) {
        this.clock = clock;
        this.byAddress = limiters.limiter("resume-address", MAX_FAILURES, Duration.ofMinutes(10),
                Duration.ofMinutes(1), true, 100_000);
    }

    boolean allowed(String address) {
        return byAddress.blockedUntil(address, clock.instant()).isEmpty();
    }

    void failed(String address) {
        byAddress.recordFailure(address, clock.instant());
    }
}
