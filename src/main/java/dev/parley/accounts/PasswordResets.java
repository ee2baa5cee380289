package dev.parley.accounts;

import dev.parley.common.SecretTokens;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.NotFoundException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "Forgot password?": a single-use link by e-mail to choose a new password. Offered only when an SMTP server
 * (spring.mail.host) and the public URL (parley.rooms.public-url) are set: the link must point at the public URL,
 * never at whatever Host header a request for someone else's reset came with. Every request gets the same answer
 * whether or not the address has an account; only a random token's SHA-256 hash is stored.
 */
@Service
public class PasswordResets {

    private static final Logger log = LoggerFactory.getLogger(PasswordResets.class);
    private static final int TOKEN_BYTES = 32;
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** What the request form answers: the same for every address, unless the request was one too many. */
    public enum Answer { SENT_IF_KNOWN, TOO_MANY }

    private final boolean offered;
    private final String baseUrl;
    private final String sender;
    private final PasswordResetProperties properties;
    private final PasswordResetTokenRepository tokens;
    private final UserAccountRepository users;
    private final AccountService accounts;
    private final PasswordPolicy passwordPolicy;
    private final PasswordEncoder passwordEncoder;
    private final PasswordResetThrottle throttle;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PasswordResets(@Value("${spring.mail.host:}") String mailHost,
                   @Value("${parley.rooms.public-url:}") String publicUrl,
                   @Value("${parley.local-login:true}") boolean localLogin, PasswordResetProperties properties,
                   PasswordResetTokenRepository tokens, UserAccountRepository users, AccountService accounts,
                   PasswordPolicy passwordPolicy, PasswordEncoder passwordEncoder, PasswordResetThrottle throttle,
                   AuditLog audit, ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        String base = publicUrl.strip();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        // Without Parley's own passwords (PARLEY_LOCAL_LOGIN=false) there is nothing to reset.
        this.offered = !mailHost.isBlank() && !baseUrl.isEmpty() && localLogin;
        if (!mailHost.isBlank() && baseUrl.isEmpty()) {
            log.warn("An SMTP server is set (PARLEY_MAIL_HOST) but no public URL (PARLEY_ROOMS_PUBLIC_URL): password "
                    + "reset by e-mail stays off, since its links must point at the public URL");
        }
        this.sender = properties.mailFrom().isBlank() && offered
                ? "noreply@" + Optional.ofNullable(URI.create(baseUrl).getHost()).orElse("localhost")
                : properties.mailFrom().strip();
        this.properties = properties;
        this.tokens = tokens;
        this.users = users;
        this.accounts = accounts;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.throttle = throttle;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    public boolean offered() {
        return offered;
    }

    /** How long a link works, in whole minutes (for the pages and the mail). */
    public long validityMinutes() {
        return properties.validity().toMinutes();
    }

    /**
     * Mails a reset link when the address belongs to an enabled account; answers alike for every address. The mail
     * goes out after the commit, on a thread of its own, so answering takes as long for an unknown address.
     */
    @Transactional
    public Answer request(String email, String clientAddress, Locale locale) {
        requireOffered();
        String normalised = UserAccount.normaliseEmail(email);
        Instant now = clock.instant();
        if (!throttle.tryAcquire(normalised, clientAddress, now)) {
            return Answer.TOO_MANY;
        }
        Optional<UserAccount> found = users.findByEmail(normalised);
        if (found.isEmpty() || !found.get().isEnabled()) {
            audit.recordBy(null, normalised, clientAddress, AuditAction.PASSWORD_RESET_REQUESTED,
                    found.map(UserAccount::getEmail).orElse(null),
                    found.isEmpty() ? "no such account: no mail" : "account disabled: no mail");
            return Answer.SENT_IF_KNOWN;
        }
        UserAccount account = found.get();
        tokens.deleteExpired(now);
        String token = newToken();
        Instant expiresAt = now.plus(properties.validity());
        tokens.save(new PasswordResetToken(account.getId(), hash(token), now, expiresAt));
        audit.recordBy(null, normalised, clientAddress, AuditAction.PASSWORD_RESET_REQUESTED, account.getEmail(),
                "link mailed, valid until " + expiresAt);
        events.publishEvent(new PasswordResetRequested(sender, account.getEmail(), account.getDisplayName(),
                baseUrl + "/reset-password?token=" + token, locale, properties.validity()));
        return Answer.SENT_IF_KNOWN;
    }

    /** Whether the link's token can still set a password: known, not expired, its account enabled. */
    @Transactional(readOnly = true)
    public boolean isUsable(String token) {
        requireOffered();
        return usable(token).isPresent();
    }

    /** What the policy says of the new password, for a form that has other errors already; nothing when blank. */
    @Transactional(readOnly = true)
    public void checkNewPassword(String token, String newPassword, Locale locale) {
        if (newPassword == null || newPassword.isBlank()) {
            return;
        }
        usable(token).flatMap(t -> users.findById(t.getUserId())).ifPresent(account ->
                passwordPolicy.check(newPassword, locale, account.getEmail(), account.getDisplayName()));
    }

    /**
     * Uses the link up to set the account's new password ({@link AccountService#setForgottenPassword}: its sessions
     * end, the change is audited). False, and nothing changed, when the link is not usable (any more); a password the
     * policy refuses throws, and the link stays usable. The password is hashed before the transaction that uses the
     * link up, as {@link AccountService} hashes.
     */
    public boolean reset(String token, String newPassword, Locale locale, String clientAddress) {
        requireOffered();
        Optional<UserAccount> account = usable(token).flatMap(t -> users.findById(t.getUserId()));
        if (account.isEmpty()) {
            return false;
        }
        passwordPolicy.check(newPassword, locale, account.get().getEmail(), account.get().getDisplayName());
        String hash = passwordEncoder.encode(newPassword);
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<PasswordResetToken> stored = usable(token);
            if (stored.isEmpty() || tokens.consume(stored.get().getId()) == 0) {
                return false;
            }
            accounts.setForgottenPassword(stored.get().getUserId(), hash, clientAddress);
            return true;
        }));
    }

    private Optional<PasswordResetToken> usable(String token) {
        if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tokens.findByTokenHash(hash(token))
                .filter(t -> !t.isExpiredAt(now))
                .filter(t -> users.findById(t.getUserId()).map(UserAccount::isEnabled).orElse(false));
    }

    /** Answers 404 (NotFoundException) where the feature is off. */
    public void requireOffered() {
        if (!offered) {
            throw new NotFoundException("password reset by e-mail is not set up");
        }
    }

    private String newToken() {
        return SecretTokens.random(TOKEN_BYTES);
    }

    static String hash(String token) {
        return SecretTokens.sha256Hex(token);
    }
}
