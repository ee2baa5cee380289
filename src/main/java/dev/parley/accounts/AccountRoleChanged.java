package dev.parley.accounts;

/** Published inside the transaction that gave an account another role. */
public record AccountRoleChanged(long userId, Role role) {
}
