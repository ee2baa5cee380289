package dev.parley.accounts;

import dev.parley.common.AttemptLimiter;
import dev.parley.common.AttemptLimits;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Limits password guessing without telling who has an account and without letting a stranger lock someone out:
 * failures count per e-mail and client address, per address, and per e-mail from every address together, the same
 * way for existing and unknown e-mails. A blocked attempt is refused before its password is checked.
 */
@Component
public class LoginThrottle {

    /** Which limit a failure reached. */
    public enum Limit { ACCOUNT_AND_ADDRESS, ADDRESS, ACCOUNT }

    private static final int CAPACITY = 100_000;

    private final AttemptLimiter byAccountAndAddress;
    private final AttemptLimiter byAddress;
    private final AttemptLimiter byAccount;

    LoginThrottle(AccountProperties properties, AttemptLimits limiters) {
        AccountProperties.Security settings = properties.security();
        this.byAccountAndAddress = limiters.limiter("login-account-address", settings.maxFailedLogins(),
                settings.lockoutDuration(), settings.lockoutDuration(), false, CAPACITY);
        this.byAddress = limiters.limiter("login-address", settings.maxFailedLoginsPerAddress(),
                settings.lockoutDuration(), settings.lockoutDuration(), false, CAPACITY);
        this.byAccount = limiters.limiter("login-account", settings.maxFailedLoginsPerAccount(),
                settings.lockoutDuration(), settings.lockoutDuration(), false, CAPACITY);
    }

    public boolean isBlocked(String email, String address, Instant now) {
        String account = UserAccount.normaliseEmail(email);
        return byAccountAndAddress.blockedUntil(pair(account, address), now).isPresent()
                || byAddress.blockedUntil(address, now).isPresent()
                || byAccount.blockedUntil(account, now).isPresent();
    }

    /** Counts a failed sign-in; returns the limit it reached, if any, and until when it blocks. */
    Optional<Reached> recordFailure(String email, String address, Instant now) {
        String account = UserAccount.normaliseEmail(email);
        Optional<Reached> reached = Optional.empty();
        Optional<Instant> until = byAccount.recordFailure(account, now);
        if (until.isPresent()) {
            reached = Optional.of(new Reached(Limit.ACCOUNT, until.get()));
        }
        until = byAddress.recordFailure(address, now);
        if (until.isPresent() && reached.isEmpty()) {
            reached = Optional.of(new Reached(Limit.ADDRESS, until.get()));
        }
        until = byAccountAndAddress.recordFailure(pair(account, address), now);
        if (until.isPresent() && reached.isEmpty()) {
            reached = Optional.of(new Reached(Limit.ACCOUNT_AND_ADDRESS, until.get()));
        }
        return reached;
    }

    void recordSuccess(String email, String address) {
        byAccountAndAddress.reset(pair(UserAccount.normaliseEmail(email), address));
    }

    /** An admin unlocked the account: its limits start afresh from every address. */
    void forget(String email) {
        String account = UserAccount.normaliseEmail(email);
        byAccount.reset(account);
        String prefix = account + "\n";
        byAccountAndAddress.resetPrefix(prefix);
    }

    private static String pair(String account, String address) {
        return account + "\n" + address;
    }

    record Reached(Limit limit, Instant until) {
    }
}
