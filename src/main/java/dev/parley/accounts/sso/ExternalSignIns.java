package dev.parley.accounts.sso;

import dev.parley.accounts.AccountRoleChanged;
import dev.parley.accounts.PasswordHashingBusy;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The Parley account of a person an identity provider (OpenID Connect or LDAP) vouched for: found by the provider's
 * issuer and subject, created at the first sign-in, its role brought in line with the provider's groups at every
 * sign-in.
 *
 * <p>An e-mail address alone never links: addresses get reassigned and some providers let people type any address.
 * When a Parley account already has the address the provider gives, the sign-in is refused, unless the provider is
 * trusted to link ({@code link-by-email}) and says it verified the address; then the existing account is linked to
 * the person once and for all (audited). A disabled account cannot sign in this way either. A role change that would
 * leave no active admin is not made (logged), as an admin could not make it either.
 */
@Service
class ExternalSignIns {

    private static final Logger log = LoggerFactory.getLogger(ExternalSignIns.class);
    private static final int MAX_EMAIL = 254;
    private static final int MAX_NAME = 100;
    private static final int MAX_SUBJECT = 255;
    /** Sign-ins of one person made at once, and so tries, that are expected at most. */
    private static final int MAX_TRIES = 4;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final UserAccountRepository users;
    private final ExternalIdentityRepository identities;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ExternalSignIns(UserAccountRepository users, ExternalIdentityRepository identities,
                    PasswordEncoder passwordEncoder, AuditLog audit, ApplicationEventPublisher events,
                    TransactionTemplate transactions, Clock clock) {
        this.users = users;
        this.identities = identities;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The person's account, created or linked if need be, with its role brought up to date.
     *
     * <p>Two first sign-ins of one person at the same moment (two tabs, a double click, two servers) both find no
     * account and both make one; the unique constraints on the e-mail address and on issuer and subject let one of
     * them through and refuse the other, whose transaction is rolled back. That one is then tried again, in a new
     * transaction, and finds the account and link the first made.
     *
     * @throws ExternalSignInRefused when no account can be found or made (no e-mail, e-mail taken)
     * @throws DisabledException     when the account is disabled
     */
    UserAccount signIn(ExternalPerson person) {
        String clientAddress = clientAddress();
        if (person.issuer().length() > MAX_SUBJECT || person.subject().length() > MAX_SUBJECT) {
            throw new ExternalSignInRefused(ExternalSignInRefused.FAILED, "issuer or subject too long");
        }
        // A new account's hash is made before the transaction, not inside it: a hash may wait its turn
        // (BoundedPasswordEncoder), and a transaction holds a database connection all along.
        // If the account found before went meanwhile (deleted by an admin), the transaction asks for one and is run again.
        String newAccountHash = isNew(person) ? unknownPasswordHash() : null;
        for (int tries = 1; ; tries++) {
            String hash = newAccountHash;
            try {
                return transactions.execute(status -> signIn(person, hash, clientAddress));
            } catch (HashNeeded e) {
                if (tries >= MAX_TRIES) {
                    throw new ExternalSignInRefused(ExternalSignInRefused.FAILED, "account came and went");
                }
                newAccountHash = unknownPasswordHash();
            } catch (DataIntegrityViolationException e) {
                if (tries >= MAX_TRIES) {
                    throw e;
                }
                log.info("{} signed in person {} twice at once: using the account the other sign-in made",
                        person.providerName(), person.subject());
                pause(tries);
            }
        }
    }

    /** Whether the person has neither an account linked to them nor one with their e-mail address, as far as known. */
    private boolean isNew(ExternalPerson person) {
        return identities.findByIssuerAndSubject(person.issuer(), person.subject()).isEmpty()
                && usableEmail(person).filter(email -> !users.existsByEmail(email)).isPresent();
    }

    private static Optional<String> usableEmail(ExternalPerson person) {
        String email = UserAccount.normaliseEmail(person.email());
        return email == null || email.isEmpty() || email.length() > MAX_EMAIL || !email.contains("@")
                ? Optional.empty() : Optional.of(email);
    }

    /** The account has no password anyone knows: a random one, hashed like any other, that is never shown. */
    private String unknownPasswordHash() {
        try {
            return passwordEncoder.encode(SecretTokens.random(32));
        } catch (PasswordHashingBusy e) {
            throw new ExternalSignInRefused(ExternalSignInRefused.BUSY, "password hashing busy");
        }
    }

    private UserAccount signIn(ExternalPerson person, String newAccountHash, String clientAddress) {
        Optional<UserAccount> linked = identities.findByIssuerAndSubject(person.issuer(), person.subject())
                .flatMap(identity -> users.findById(identity.getUserId()));
        UserAccount account = linked.orElseGet(() -> linkOrCreate(person, newAccountHash, clientAddress));
        if (!account.isEnabled()) {
            if (!ExternalIdentity.LDAP_ISSUER.equals(person.issuer())) {
                // Its own transaction: recorded although this one rolls back. (LDAP sign-ins come through the password
                // form, whose failures accounts.LoginAttempts records.)
                audit.recordAnonymous(account.getEmail(), AuditAction.LOGIN_FAILED, account.getEmail(),
                        "account disabled");
            }
            throw new DisabledException("disabled");
        }
        person.mappedRole().ifPresent(role -> follow(account, role, person, clientAddress));
        return account;
    }

    private UserAccount linkOrCreate(ExternalPerson person, String newAccountHash, String clientAddress) {
        Optional<String> usable = usableEmail(person);
        if (usable.isEmpty()) {
            log.info("{} signed in person {} without a usable e-mail address: refused", person.providerName(),
                    person.subject());
            throw new ExternalSignInRefused(ExternalSignInRefused.NO_EMAIL, "no e-mail address");
        }
        String email = usable.get();
        Instant now = clock.instant();
        Optional<UserAccount> sameEmail = users.findByEmail(email);
        if (sameEmail.isPresent()) {
            // The other of two sign-ins at once may have committed the account and its link between this one's look
            // for the link and its look for the e-mail address: then the link is there now, and the account is his.
            Optional<UserAccount> linkedMeanwhile = identities.findByIssuerAndSubject(person.issuer(), person.subject())
                    .filter(identity -> Objects.equals(identity.getUserId(), sameEmail.get().getId()))
                    .map(identity -> sameEmail.get());
            if (linkedMeanwhile.isPresent()) {
                return linkedMeanwhile.get();
            }
            if (!person.linkByEmail() || !person.emailVerified()) {
                log.info("{} signed in {}, which a Parley account not linked to that provider has: refused",
                        person.providerName(), email);
                throw new ExternalSignInRefused(ExternalSignInRefused.EMAIL_TAKEN, "e-mail address taken");
            }
            UserAccount account = sameEmail.get();
            identities.save(new ExternalIdentity(account.getId(), person.issuer(), person.subject(), now));
            audit.recordBy(account.getId(), account.getEmail(), clientAddress, AuditAction.EXTERNAL_IDENTITY_LINKED,
                    account.getEmail(), person.providerName());
            return account;
        }
        if (newAccountHash == null) {
            throw new HashNeeded();
        }
        Role role = person.mappedRole().orElse(person.defaultRole());
        UserAccount account = users.save(new UserAccount(email, displayName(person, email), newAccountHash, role,
                now));
        identities.save(new ExternalIdentity(account.getId(), person.issuer(), person.subject(), now));
        audit.recordBy(account.getId(), account.getEmail(), clientAddress, AuditAction.USER_CREATED, email,
                "role=" + role);
        audit.recordBy(account.getId(), account.getEmail(), clientAddress, AuditAction.EXTERNAL_IDENTITY_LINKED,
                email, person.providerName());
        return account;
    }

    private void follow(UserAccount account, Role role, ExternalPerson person, String clientAddress) {
        if (account.getRole() == role) {
            return;
        }
        users.lockAdmins();
        if (account.getRole() == Role.ADMIN && users.countByRoleAndEnabledTrue(Role.ADMIN) <= 1) {
            log.warn("{} no longer gives {} the admin role, but it is the last active admin: it stays admin",
                    person.providerName(), account.getEmail());
            return;
        }
        Role previous = account.getRole();
        account.setRole(role);
        events.publishEvent(new AccountRoleChanged(account.getId(), role));
        audit.recordBy(account.getId(), account.getEmail(), clientAddress, AuditAction.USER_ROLE_CHANGED,
                account.getEmail(), previous + " -> " + role);
    }

    /** A moment for the other sign-in's transaction to commit, should this database refuse before it did. */
    private static void pause(int tries) {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis() * tries);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalSignInRefused(ExternalSignInRefused.FAILED, "interrupted");
        }
    }

    private static String clientAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
    }

    private static String displayName(ExternalPerson person, String email) {
        String name = person.displayName() == null ? "" : person.displayName().strip();
        if (name.isEmpty()) {
            name = email.substring(0, email.indexOf('@'));
        }
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    /** The transaction must make an account, and no hash was made for it before: rolled back, tried again with one. */
    private static final class HashNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HashNeeded() {
            super(null, null, false, false);
        }
    }
}
