package dev.parley.accounts;

/** What a signed-in person may do. Guests have no account and therefore no role. */
public enum Role {
    /** Manages users and every room. */
    ADMIN,
    /** Schedules and moderates their own rooms. */
    HOST,
    /** Joins rooms. */
    MEMBER;

    public String authority() {
        return "ROLE_" + name();
    }

    public boolean canHost() {
        return this == ADMIN || this == HOST;
    }
}
