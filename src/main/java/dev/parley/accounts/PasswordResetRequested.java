package dev.parley.accounts;

import java.time.Duration;
import java.util.Locale;

/**
 * A reset link to mail once the token is stored (after the commit). Holds the link, so it is never logged: toString
 * leaves it out.
 */
record PasswordResetRequested(String from, String to, String displayName, String link, Locale locale,
                              Duration validity) {

    @Override
    public String toString() {
        return "PasswordResetRequested[to=" + to + ", locale=" + locale + "]";
    }
}
