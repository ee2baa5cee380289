package dev.parley.accounts;

/** Published inside the transaction that ended every session of an account (disabled, deleted, new password). */
public record AccountSessionsEnded(long userId) {
}
