package dev.parley.accounts;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Counts failed logins per account and locks it for a while after too many; a success resets the count. */
@Component
class LoginAttempts {

    private final UserAccountRepository users;
    private final AuditLog audit;
    private final AccountProperties.Security settings;
    private final Clock clock;

    LoginAttempts(UserAccountRepository users, AuditLog audit, AccountProperties properties, Clock clock) {
        this.users = users;
        this.audit = audit;
        this.settings = properties.security();
        this.clock = clock;
    }

    @EventListener
    @Transactional
    public void onFailure(AuthenticationFailureBadCredentialsEvent event) {
        String email = UserAccount.normaliseEmail(event.getAuthentication().getName());
        Instant now = clock.instant();
        users.findByEmail(email).ifPresentOrElse(account -> {
            boolean lockedNow = account.recordFailedLogin(now, settings.maxFailedLogins(), settings.lockoutDuration());
            audit.recordAnonymous(email, AuditAction.LOGIN_FAILED, email, "bad credentials");
            if (lockedNow) {
                audit.recordAnonymous(email, AuditAction.ACCOUNT_LOCKED, email,
                        "after " + settings.maxFailedLogins() + " failed logins, until " + account.getLockedUntil());
            }
        }, () -> audit.recordAnonymous(email, AuditAction.LOGIN_FAILED, null, "unknown account"));
    }

    @EventListener
    @Transactional
    public void onSuccess(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof ParleyUser user) {
            users.findById(user.id()).ifPresent(account -> account.recordSuccessfulLogin(clock.instant()));
        }
    }
}
