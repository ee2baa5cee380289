package dev.parley.accounts;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Feeds failed and successful sign-ins to the throttle, the audit log and the account: too many failures from every
 * address together lock the account itself (admins see it and can unlock it).
 */
@Component
class LoginAttempts {

    private final UserAccountRepository users;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;

    LoginAttempts(UserAccountRepository users, LoginThrottle throttle, AuditLog audit, Clock clock) {
        this.users = users;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    @EventListener({AuthenticationFailureBadCredentialsEvent.class, AuthenticationFailureDisabledEvent.class})
    @Transactional
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        if (!(event.getAuthentication() instanceof UsernamePasswordAuthenticationToken)) {
            return; // a sign-in at an identity provider: no password was guessed (accounts.sso audits its refusals)
        }
        String email = UserAccount.normaliseEmail(event.getAuthentication().getName());
        String address = address(event.getAuthentication());
        Instant now = clock.instant();
        Optional<LoginThrottle.Reached> reached = throttle.recordFailure(email, address, now);
        Optional<UserAccount> account = users.findByEmail(email);
        account.ifPresentOrElse(a -> {
            users.recordFailedLogin(a.getId());
            audit.recordAnonymous(email, AuditAction.LOGIN_FAILED, email,
                    a.isEnabled() ? "bad credentials" : "account disabled");
        }, () -> audit.recordAnonymous(email, AuditAction.LOGIN_FAILED, null, "unknown account"));
        reached.ifPresent(r -> {
            if (r.limit() == LoginThrottle.Limit.ACCOUNT && account.isPresent()) {
                users.lockUntil(account.get().getId(), r.until());
                audit.recordAnonymous(email, AuditAction.ACCOUNT_LOCKED, email,
                        "too many failed logins from all addresses, until " + r.until());
            } else if (r.limit() != LoginThrottle.Limit.ACCOUNT) {
                audit.recordAnonymous(email, AuditAction.LOGIN_THROTTLED, account.isPresent() ? email : null,
                        (r.limit() == LoginThrottle.Limit.ADDRESS ? "address " : "this e-mail from address ")
                                + address + " blocked until " + r.until());
            }
        });
    }

    @EventListener
    @Transactional
    public void onSuccess(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof ParleyUser user) {
            String address = address(event.getAuthentication());
            throttle.recordSuccess(user.email(), address);
            users.recordSuccessfulLogin(user.id(), clock.instant());
            audit.recordAnonymous(user.email(), AuditAction.LOGIN_SUCCEEDED, user.email(), "from " + address);
        }
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                && details.getRemoteAddress() != null ? details.getRemoteAddress() : "unknown";
    }
}
