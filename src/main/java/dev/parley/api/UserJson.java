package dev.parley.api;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import java.time.Instant;

/** An account as the API shows it (never its password). */
public record UserJson(long id, String email, String displayName, Role role, boolean enabled, Instant createdAt,
                       Instant lastLoginAt) {

    static UserJson of(UserAccount account) {
        return new UserJson(account.getId(), account.getEmail(), account.getDisplayName(), account.getRole(),
                account.isEnabled(), account.getCreatedAt(), account.getLastLoginAt());
    }
}
