package dev.parley.accounts;

import dev.parley.common.AttemptLimiter;
import dev.parley.common.AttemptLimits;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Limits reset e-mails per e-mail address (nobody's mailbox gets flooded) and per client address (nobody sprays
 * addresses), counting known and unknown addresses alike so that the limit tells nothing about who has an account.
 */
@Component
class PasswordResetThrottle {

    private static final int CAPACITY = 100_000;

    private final AttemptLimiter byEmail;
    private final AttemptLimiter byAddress;

    PasswordResetThrottle(PasswordResetProperties properties, AttemptLimits limiters) {
        this.byEmail = limiters.limiter("reset-email", properties.maxRequestsPerEmail(), properties.requestWindow(),
                properties.requestWindow(), false, CAPACITY);
        this.byAddress = limiters.limiter("reset-address", properties.maxRequestsPerAddress(),
                properties.requestWindow(), properties.requestWindow(), false, CAPACITY);
    }

    /** Counts a request unless the e-mail or the client address had their share of the window already: false then. */
    boolean tryAcquire(String email, String clientAddress, Instant now) {
        if (byEmail.blockedUntil(email, now).isPresent() || byAddress.blockedUntil(clientAddress, now).isPresent()) {
            return false;
        }
        byEmail.recordFailure(email, now);
        byAddress.recordFailure(clientAddress, now);
        return true;
    }
}
