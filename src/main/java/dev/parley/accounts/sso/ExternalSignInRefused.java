package dev.parley.accounts.sso;

import org.springframework.security.core.AuthenticationException;

/**
 * The provider vouched for the person, but Parley cannot let them in: {@code reason} is the login page's error code
 * ({@code /login?error=<reason>}), explained there in the reader's language.
 */
public class ExternalSignInRefused extends AuthenticationException {

    /** The provider gave no e-mail address (Parley's accounts need one). */
    static final String NO_EMAIL = "sso-no-email";
    /** A Parley account has this e-mail address but is not linked to this provider's person. */
    static final String EMAIL_TAKEN = "sso-email-taken";
    /** Too many passwords were being hashed at once to make the new account's: try again shortly. */
    static final String BUSY = "busy";
    /** Anything else that went wrong between Parley and the provider (details in the log). */
    static final String FAILED = "sso-failed";

    private final String reason;

    ExternalSignInRefused(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
