package dev.parley.accounts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties(prefix = "parley")
public record AccountProperties(@DefaultValue Admin admin, @DefaultValue Security security) {

    public record Admin(String email, String password) {
        @Override
        public String toString() {
            return "Admin[email=" + email + ", password=" + (password == null || password.isEmpty() ? "unset" : "***") + "]";
        }
    }

    /**
     * Failed sign-ins are limited per e-mail and client address (maxFailedLogins), per client address whatever the
     * e-mail (maxFailedLoginsPerAddress) and per e-mail from all addresses together (maxFailedLoginsPerAccount, which
     * also locks the account); each limit counts within lockoutDuration and blocks for as long.
     */
    public record Security(@DefaultValue("5") int maxFailedLogins,
                           @DefaultValue("20") int maxFailedLoginsPerAddress,
                           @DefaultValue("50") int maxFailedLoginsPerAccount,
                           @DefaultValue("15m") Duration lockoutDuration,
                           @DefaultValue("14d") Duration rememberMeValidity) {
    }
}
