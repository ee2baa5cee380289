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

    public record Security(@DefaultValue("5") int maxFailedLogins,
                           @DefaultValue("15m") Duration lockoutDuration,
                           @DefaultValue("14d") Duration rememberMeValidity) {
    }
}
