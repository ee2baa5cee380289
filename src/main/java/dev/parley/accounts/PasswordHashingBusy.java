package dev.parley.accounts;

import dev.parley.common.UserFacingException;

/** Too many passwords are being hashed at once to start another within the wait allowed: try again shortly. */
public final class PasswordHashingBusy extends UserFacingException {

    public PasswordHashingBusy() {
        super("password.busy");
    }
}
