package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class ProfileTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    UserAccount account;
    WebSession session;

    @BeforeEach
    void signIn() {
        account = fixtures.user(Role.MEMBER);
        session = fixtures.signIn(account);
    }

    @Test
    void changesDisplayNameAndTimeZone() {
        WebSession.Page saved = session.submit("/profile", "/profile",
                Map.of("displayName", "  Grace Hopper ", "timeZone", "America/New_York"));
        assertThat(saved.location()).endsWith("/profile");
        WebSession.Page page = session.follow(saved);
        assertThat(page.text("flash")).isEqualTo("Your profile was saved.");
        assertThat(page.byTestId("profile-display-name").attr("value")).isEqualTo("Grace Hopper");
        UserAccount stored = users.findById(account.getId()).orElseThrow();
        assertThat(stored.getTimeZone()).isEqualTo("America/New_York");
    }

    @Test
    void rejectsAnEmptyOrOversizedNameAndAnUnknownZone() {
        assertThat(session.submit("/profile", "/profile", Map.of("displayName", "  ", "timeZone", ""))
                .text("error-displayName")).contains("display name");
        assertThat(session.submit("/profile", "/profile", Map.of("displayName", "n".repeat(101), "timeZone", ""))
                .text("error-displayName")).contains("100");
        WebSession.Page badZone = session.submit("/profile", "/profile",
                Map.of("displayName", "Ok", "timeZone", "Nowhere/Atlantis"));
        assertThat(badZone.status()).isEqualTo(200);
        assertThat(badZone.text("error-timeZone")).isEqualTo("Choose a time zone from the list.");
        assertThat(users.findById(account.getId()).orElseThrow().getDisplayName()).isEqualTo(account.getDisplayName());
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndAStrongNewOne() {
        WebSession.Page wrongCurrent = changePassword("not-my-password", "Walnut-Gazebo-Telescope-3", "Walnut-Gazebo-Telescope-3");
        assertThat(wrongCurrent.text("error-currentPassword")).isEqualTo("The current password is not right.");

        WebSession.Page weak = changePassword(Fixtures.PASSWORD, "qwertyuiop", "qwertyuiop");
        assertThat(weak.text("error-newPassword")).contains("too easy to guess");

        WebSession.Page mismatch = changePassword(Fixtures.PASSWORD, "Walnut-Gazebo-Telescope-3", "Walnut-Gazebo-Telescope-4");
        assertThat(mismatch.text("error-confirmPassword")).isEqualTo("The two new passwords differ.");

        WebSession.Page personal = changePassword(Fixtures.PASSWORD, account.getEmail().split("@")[0] + "-Zebra-99",
                account.getEmail().split("@")[0] + "-Zebra-99");
        assertThat(personal.text("error-newPassword")).contains("name or e-mail");

        WebSession.Page ok = changePassword(Fixtures.PASSWORD, "Walnut-Gazebo-Telescope-3", "Walnut-Gazebo-Telescope-3");
        assertThat(ok.location()).endsWith("/profile");
        assertThat(users.findById(account.getId()).orElseThrow().getPasswordHash()).startsWith("{argon2}");

        WebSession.Page oldRefused = new WebSession(port).submit("/login", "/login",
                Map.of("email", account.getEmail(), "password", Fixtures.PASSWORD));
        assertThat(oldRefused.location()).contains("error");
        new WebSession(port).login(account.getEmail(), "Walnut-Gazebo-Telescope-3");
    }

    private WebSession.Page changePassword(String current, String next, String confirm) {
        return session.submit("/profile/password", "/profile/password",
                Map.of("currentPassword", current, "newPassword", next, "confirmPassword", confirm));
    }
}
