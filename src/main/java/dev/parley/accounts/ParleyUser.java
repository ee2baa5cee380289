package dev.parley.accounts;

import dev.parley.audit.AuditActor;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in person as Spring Security sees them: a snapshot of their account, taken at login and taken again by
 * {@link AccountSessionFilter} on any request where the account has changed since.
 */
public final class ParleyUser implements UserDetails, CredentialsContainer, AuditActor {

    private final long id;
    private final String email;
    private final String displayName;
    private final Role role;
    private final boolean enabled;
    private final boolean locked;
    private final boolean passwordChangeRequired;
    private final long sessionEpoch;
    private String passwordHash;

    public ParleyUser(UserAccount account, Instant now) {
        this.id = account.getId();
        this.email = account.getEmail();
        this.displayName = account.getDisplayName();
        this.role = account.getRole();
        this.enabled = account.isEnabled();
        this.locked = account.isLockedAt(now);
        this.passwordChangeRequired = account.isPasswordChangeRequired();
        this.sessionEpoch = account.getSessionEpoch();
        this.passwordHash = account.getPasswordHash();
    }

    /** Whether this snapshot still says what the account says about who this person is and what they may do. */
    boolean isCurrentFor(UserAccount account) {
        return account.getRole() == role && account.isEnabled() == enabled
                && account.isPasswordChangeRequired() == passwordChangeRequired
                && account.getSessionEpoch() == sessionEpoch && account.getDisplayName().equals(displayName)
                && account.getEmail().equals(email);
    }

    /**
     * Sessions opened before the account's epoch was raised (password reset or changed, e-mail address changed,
     * account disabled) end.
     */
    boolean belongsToEpochOf(UserAccount account) {
        return account.getSessionEpoch() == sessionEpoch;
    }

    /** An admin reset the password: nothing but choosing a new one until then. */
    public boolean mustChangePassword() {
        return passwordChangeRequired;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String email() {
        return email;
    }

    public String displayName() {
        return displayName;
    }

    public Role role() {
        return role;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority(role.authority()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email;
    }

    @Override
    public boolean isAccountNonLocked() {
        return !locked;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParleyUser other && other.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "ParleyUser[id=" + id + ", email=" + email + ", role=" + role + "]";
    }
}
