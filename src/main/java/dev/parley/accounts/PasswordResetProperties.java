package dev.parley.accounts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Password reset by e-mail link (offered only with an SMTP server and a public URL, see {@link PasswordResets}).
 *
 * @param validity how long a link works (it works once)
 * @param maxRequestsPerEmail reset requests for one e-mail address within the request window, from anywhere
 * @param maxRequestsPerAddress reset requests from one client address within the request window, for any e-mail
 * @param requestWindow the window both limits count in, and how long a limit reached blocks
 * @param mailFrom the mails' sender; empty: noreply at the public URL's host
 */
@ConfigurationProperties(prefix = "parley.password-reset")
public record PasswordResetProperties(@DefaultValue("30m") Duration validity,
                                      @DefaultValue("3") int maxRequestsPerEmail,
                                      @DefaultValue("10") int maxRequestsPerAddress,
                                      @DefaultValue("1h") Duration requestWindow,
                                      @DefaultValue("") String mailFrom) {

    public PasswordResetProperties {
        if (validity.compareTo(Duration.ofMinutes(1)) < 0 || validity.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("parley.password-reset.validity (PARLEY_PASSWORD_RESET_VALIDITY) must "
                    + "be between 1 minute and 1 day, not " + validity);
        }
        if (maxRequestsPerEmail < 1 || maxRequestsPerAddress < 1 || requestWindow.isNegative()
                || requestWindow.isZero()) {
            throw new IllegalArgumentException("parley.password-reset request limits and window must be positive");
        }
    }
}
