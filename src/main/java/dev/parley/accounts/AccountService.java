package dev.parley.accounts;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.audit.FieldChanges;
import dev.parley.common.LikePatterns;
import dev.parley.common.NotFoundException;
import dev.parley.common.UserFacingException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creating accounts and changing them: the rules (unique e-mail, strong passwords, the last admin) live here.
 *
 * <p>Passwords are hashed before the transaction that stores them, never inside one: a hash may wait its turn
 * ({@link BoundedPasswordEncoder}), and a transaction holds a database connection all along, so a burst of hashes
 * inside transactions would take the pool from every other page.
 */
@Service
public class AccountService {

    private static final char[] TEMPORARY_PASSWORD_ALPHABET =
            "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final UserAccountRepository users;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    private final AuditLog audit;
    private final PersistentTokenRepository rememberMeTokens;
    private final PasswordResetTokenRepository resetTokens;
    private final LoginThrottle loginThrottle;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccountService(UserAccountRepository users, PasswordEncoder passwordEncoder, PasswordPolicy passwordPolicy,
                          AuditLog audit, PersistentTokenRepository rememberMeTokens,
                          PasswordResetTokenRepository resetTokens, LoginThrottle loginThrottle,
                          ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.audit = audit;
        this.rememberMeTokens = rememberMeTokens;
        this.resetTokens = resetTokens;
        this.loginThrottle = loginThrottle;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public UserAccount get(long id) {
        return users.findById(id).orElseThrow(() -> new NotFoundException("user " + id));
    }

    @Transactional(readOnly = true)
    public Page<UserAccount> search(String query, Pageable pageable) {
        String pattern = LikePatterns.contains(query == null ? "" : query);
        return users.search(pattern, pageable);
    }

    @Transactional(readOnly = true)
    public List<UserAccount> activeHosts() {
        return users.findByRoleInAndEnabledTrueOrderByDisplayName(List.of(Role.HOST, Role.ADMIN));
    }

    public UserAccount create(String email, String displayName, String rawPassword, Role role, Locale locale) {
        String normalised = UserAccount.normaliseEmail(email);
        checkNewAccount(normalised, displayName, rawPassword, locale, false);
        String hash = passwordEncoder.encode(rawPassword);
        return transactions.execute(status -> {
            requireEmailFree(normalised); // taken by another request while this one hashed: the same answer
            UserAccount account = users.save(new UserAccount(normalised, displayName, hash, role, clock.instant()));
            audit.record(AuditAction.USER_CREATED, normalised, "role=" + role);
            return account;
        });
    }

    /**
     * The rules a new account breaks beyond its form's own validation (a taken e-mail, a weak password), all at once;
     * blank values are left to the form.
     */
    @Transactional(readOnly = true)
    public void checkNewAccount(String email, String displayName, String rawPassword, Locale locale) {
        checkNewAccount(UserAccount.normaliseEmail(email), displayName, rawPassword, locale, true);
    }

    private void checkNewAccount(String normalised, String displayName, String rawPassword, Locale locale,
                                 boolean blankLeftToForm) {
        UserFacingException.checkAll(
                () -> {
                    if (normalised != null && !normalised.isEmpty()) {
                        requireEmailFree(normalised);
                    }
                },
                () -> {
                    if (!blankLeftToForm || rawPassword != null && !rawPassword.isBlank()) {
                        passwordPolicy.check(rawPassword, locale, normalised, displayName);
                    }
                });
    }

    private void requireEmailFree(String normalised) {
        if (users.existsByEmail(normalised)) {
            throw new UserFacingException("email", "account.emailTaken");
        }
    }

    @Transactional
    public void updateProfile(long userId, String displayName, String timeZone) {
        UserAccount account = get(userId);
        if (timeZone != null && !timeZone.isBlank() && !ZoneId.getAvailableZoneIds().contains(timeZone)) {
            throw new UserFacingException("timeZone", "profile.badTimeZone");
        }
        account.setDisplayName(displayName);
        account.setTimeZone(timeZone == null || timeZone.isBlank() ? null : timeZone);
        audit.record(AuditAction.PROFILE_UPDATED, account.getEmail(), null);
    }

    /** The user's own change; every other session and remember-me login of the account ends. */
    public UserAccount changePassword(long userId, String currentPassword, String newPassword, Locale locale) {
        UserAccount checked = get(userId);
        checkPasswordChange(checked, currentPassword, newPassword, locale, false);
        String hash = passwordEncoder.encode(newPassword);
        return transactions.execute(status -> {
            UserAccount account = get(userId);
            // Changed by another of its sessions (or an admin) while this one hashed: the current password given was
            // checked against a hash that is gone.
            if (!account.getPasswordHash().equals(checked.getPasswordHash())) {
                throw new UserFacingException("currentPassword", "password.currentWrong");
            }
            account.setPasswordHash(hash);
            account.setPasswordChangeRequired(false);
            endSessions(account);
            audit.record(AuditAction.PASSWORD_CHANGED, account.getEmail(), null);
            return account;
        });
    }

    /**
     * What {@link #changePassword} would refuse, all at once (a wrong current password and a weak new one together);
     * blank values are left to the form.
     */
    public void checkPasswordChange(long userId, String currentPassword, String newPassword, Locale locale) {
        checkPasswordChange(get(userId), currentPassword, newPassword, locale, true);
    }

    private void checkPasswordChange(UserAccount account, String currentPassword, String newPassword, Locale locale,
                                     boolean blankLeftToForm) {
        boolean currentGiven = currentPassword != null && !currentPassword.isEmpty();
        boolean newGiven = newPassword != null && !newPassword.isBlank();
        boolean currentRight = currentGiven && passwordEncoder.matches(currentPassword, account.getPasswordHash());
        UserFacingException.checkAll(
                () -> {
                    if (!currentRight) {
                        throw new UserFacingException("currentPassword", "password.currentWrong");
                    }
                },
                () -> {
                    if (currentRight && currentPassword.equals(newPassword)) {
                        throw new UserFacingException("newPassword", "password.sameAsCurrent");
                    }
                },
                () -> {
                    if (newGiven || !blankLeftToForm) {
                        passwordPolicy.check(newPassword, locale, account.getEmail(), account.getDisplayName());
                    }
                });
    }

    /**
     * The owner of the account's mailbox chose a new password through a reset link (see {@link PasswordResets}, which
     * checked it against the policy and hashed it before its transaction): every session and remember-me login of the
     * account ends, its live meetings too, and a lock from failed sign-ins is lifted, as after an admin's reset.
     */
    @Transactional
    public UserAccount setForgottenPassword(long userId, String newPasswordHash, String clientAddress) {
        UserAccount account = get(userId);
        account.setPasswordHash(newPasswordHash);
        account.setPasswordChangeRequired(false);
        account.unlock();
        loginThrottle.forget(account.getEmail());
        revoke(account);
        audit.recordBy(account.getId(), account.getEmail(), clientAddress, AuditAction.PASSWORD_RESET_BY_MAIL,
                account.getEmail(), null);
        return account;
    }

    // The admin actions below take the admin lock first, then read the accounts, then check that the acting admin is
    // still an active admin (a concurrent request may have just demoted them) and that another active admin remains.

    @Transactional
    public void setEnabled(long userId, boolean enabled, long actingUserId) {
        users.lockAdmins();
        requireActiveAdmin(actingUserId);
        UserAccount account = get(userId);
        if (account.isEnabled() == enabled) {
            return;
        }
        if (!enabled) {
            if (account.getId() == actingUserId) {
                throw new UserFacingException("admin.cannotDisableSelf");
            }
            requireAnotherAdmin(account);
            revoke(account);
        }
        account.setEnabled(enabled);
        audit.record(enabled ? AuditAction.USER_ENABLED : AuditAction.USER_DISABLED, account.getEmail(), null);
    }

    @Transactional
    public void changeRole(long userId, Role role, long actingUserId) {
        users.lockAdmins();
        requireActiveAdmin(actingUserId);
        UserAccount account = get(userId);
        if (account.getRole() == role) {
            return;
        }
        if (account.getRole() == Role.ADMIN) {
            requireAnotherAdmin(account);
        }
        Role previous = account.getRole();
        account.setRole(role);
        events.publishEvent(new AccountRoleChanged(account.getId(), role));
        audit.record(AuditAction.USER_ROLE_CHANGED, account.getEmail(), previous + " -> " + role);
    }

    /**
     * An admin's correction of an account's e-mail address and display name; returns whether anything changed. The
     * e-mail address is the login name, so a new one ends the account's sessions and remember-me logins, as a new
     * password does (its live meetings go on); the caller keeps its own session if it edited its own account. A new
     * display name alone ends nothing: every session takes it on its next request.
     */
    @Transactional
    public boolean editAccount(long userId, String email, String displayName, long actingUserId) {
        users.lockAdmins();
        requireActiveAdmin(actingUserId);
        UserAccount account = get(userId);
        String oldEmail = account.getEmail();
        String newEmail = UserAccount.normaliseEmail(email);
        FieldChanges changes = new FieldChanges()
                .add("email", oldEmail, newEmail)
                .add("displayName", account.getDisplayName(), displayName.strip());
        if (changes.isEmpty()) {
            return false;
        }
        if (changes.has("email")) {
            requireEmailFree(newEmail);
            account.setEmail(newEmail);
            account.endSessions();
            rememberMeTokens.removeUserTokens(oldEmail);
        }
        account.setDisplayName(displayName);
        audit.record(AuditAction.USER_UPDATED, account.getEmail(), changes.toDetails());
        return true;
    }

    /**
     * Sets a random temporary password that must be changed at the next login, and ends the account's sessions;
     * returns the password to show once.
     */
    public String resetPassword(long userId, long actingUserId) {
        String temporary = randomPassword(16);
        String hash = passwordEncoder.encode(temporary);
        transactions.executeWithoutResult(status -> {
            users.lockAdmins();
            requireActiveAdmin(actingUserId);
            UserAccount account = get(userId);
            account.setPasswordHash(hash);
            account.setPasswordChangeRequired(true);
            account.unlock();
            loginThrottle.forget(account.getEmail());
            revoke(account);
            audit.record(AuditAction.USER_PASSWORD_RESET, account.getEmail(), null);
        });
        return temporary;
    }

    @Transactional
    public void unlock(long userId) {
        UserAccount account = get(userId);
        account.unlock();
        loginThrottle.forget(account.getEmail());
        audit.record(AuditAction.USER_UNLOCKED, account.getEmail(), null);
    }

    /** Deletes the account; the caller has already dealt with the rooms the user hosts. */
    @Transactional
    public void delete(long userId, long actingUserId) {
        users.lockAdmins();
        requireActiveAdmin(actingUserId);
        UserAccount account = get(userId);
        if (account.getId() == actingUserId) {
            throw new UserFacingException("admin.cannotDeleteSelf");
        }
        if (account.getRole() == Role.ADMIN) {
            requireAnotherAdmin(account);
        }
        revoke(account);
        users.delete(account);
        audit.record(AuditAction.USER_DELETED, account.getEmail(), null);
    }

    private void requireActiveAdmin(long actingUserId) {
        boolean active = users.findById(actingUserId).filter(a -> a.getRole() == Role.ADMIN && a.isEnabled()).isPresent();
        if (!active) {
            throw new UserFacingException("admin.noLongerAdmin");
        }
    }

    private void requireAnotherAdmin(UserAccount account) {
        if (account.getRole() == Role.ADMIN && account.isEnabled() && users.countByRoleAndEnabledTrue(Role.ADMIN) <= 1) {
            throw new UserFacingException("admin.lastAdmin");
        }
    }

    /**
     * Existing sessions end on their next request, remember-me cookies stop working, and so do password reset links
     * mailed before: whoever changed the password (the user, an admin, a reset link) settled the question.
     */
    private void endSessions(UserAccount account) {
        account.endSessions();
        rememberMeTokens.removeUserTokens(account.getEmail());
        resetTokens.deleteAllOf(account.getId());
    }

    /** An admin took the account's access away: its live meetings are left too, not only its web sessions. */
    private void revoke(UserAccount account) {
        endSessions(account);
        events.publishEvent(new AccountSessionsEnded(account.getId()));
    }

    String randomPassword(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = TEMPORARY_PASSWORD_ALPHABET[random.nextInt(TEMPORARY_PASSWORD_ALPHABET.length)];
        }
        return new String(chars);
    }
}
