package dev.parley.accounts;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.UserFacingException;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * On a database without any admin, creates one: from PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD when both are set,
 * otherwise admin@parley.local with a random password that is printed once. Never runs while an admin exists.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    static final String DEFAULT_EMAIL = "admin@parley.local";

    private final UserAccountRepository users;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    private final AccountService accounts;
    private final AuditLog audit;
    private final AccountProperties properties;
    private final Clock clock;
    private final MessageSource messages;

    AdminBootstrap(UserAccountRepository users, PasswordEncoder passwordEncoder, PasswordPolicy passwordPolicy,
                   AccountService accounts, AuditLog audit, AccountProperties properties, Clock clock,
                   MessageSource messages) {
        this.messages = messages;
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.accounts = accounts;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (users.existsByRole(Role.ADMIN)) {
            return;
        }
        String email = properties.admin().email();
        String password = properties.admin().password();
        boolean generated = password == null || password.isBlank();
        if (email == null || email.isBlank()) {
            email = DEFAULT_EMAIL;
        }
        if (!email.contains("@")) {
            throw new IllegalStateException("PARLEY_ADMIN_EMAIL must be an e-mail address");
        }
        if (generated) {
            password = accounts.randomPassword(20);
        } else {
            try {
                passwordPolicy.check(password, Locale.ENGLISH, email);
            } catch (UserFacingException e) {
                // The operator reads this in the start-up log: the policy's own words, never the password.
                String reason = messages.getMessage(e.messageKey(), e.arguments(), e.messageKey(), Locale.ENGLISH);
                throw new IllegalStateException("PARLEY_ADMIN_PASSWORD is not accepted: " + reason
                        + " Choose another, or leave it unset to get a random one.");
            }
        }
        UserAccount admin = new UserAccount(email, "Administrator", passwordEncoder.encode(password), Role.ADMIN,
                clock.instant());
        users.save(admin);
        audit.record(AuditAction.ADMIN_BOOTSTRAPPED, admin.getEmail(), generated ? "generated password" : "from environment");
        if (generated) {
            // Printed once, on purpose: there is no other way to learn the first password.
            log.warn("""

                    ==========================================================
                     Parley created the first admin account.
                       e-mail:   {}
                       password: {}
                     Sign in and change it under Profile. It is not shown again.
                    ==========================================================""", admin.getEmail(), password);
        } else {
            log.info("Parley created the first admin account {} from PARLEY_ADMIN_EMAIL", admin.getEmail());
        }
    }
}
