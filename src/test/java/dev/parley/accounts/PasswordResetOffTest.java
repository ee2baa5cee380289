package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Without an SMTP server (the shared test context has none) there is no "Forgot password?" at all. */
@ParleyWebTest
class PasswordResetOffTest {

    @LocalServerPort
    int port;

    @Test
    void theLoginPageOffersNoResetAndItsRoutesAre404() {
        WebSession browser = new WebSession(port);
        WebSession.Page login = browser.get("/login");
        assertThat(login.has("login-form")).isTrue();
        assertThat(login.has("login-forgot")).isFalse();

        assertThat(browser.get("/forgot-password").status()).isEqualTo(404);
        assertThat(browser.get("/reset-password?token=" + "a".repeat(43)).status()).isEqualTo(404);
        String csrf = login.csrfToken();
        assertThat(browser.post("/forgot-password", csrf, Map.of("email", "someone@parley.test")).status())
                .isEqualTo(404);
        assertThat(browser.post("/reset-password", csrf, Map.of("token", "a".repeat(43),
                "newPassword", "Walnut-Harbour-Lantern-81", "confirmPassword", "Walnut-Harbour-Lantern-81")).status())
                .isEqualTo(404);
    }
}
