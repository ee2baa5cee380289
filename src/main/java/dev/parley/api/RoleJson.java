package dev.parley.api;

import dev.parley.accounts.Role;
import jakarta.validation.constraints.NotNull;

/** The body of a role change. */
public record RoleJson(@NotNull(message = "{user.role.required}") Role role) {
}
