package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.UserAccountRepository;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Issue 8: odd page numbers and unreadable values never reach a 500 or a raw conversion message. */
@ParleyWebTest
class AdminInputValidationTest {

    @LocalServerPort
    int port;

    @Autowired
    UserAccountRepository users;

    WebSession admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
    }

    @Test
    void anyPageNumberShowsAPage() {
        for (String list : List.of("/admin", "/admin/rooms", "/admin/audit")) {
            for (String page : List.of("2147483647", "2147483646", "107374182", "-1", "-2147483648")) {
                WebSession.Page shown = admin.get(list + "?page=" + page);
                assertThat(shown.status()).as("%s?page=%s", list, page).isEqualTo(200);
                assertNoInternals(shown);
            }
        }
    }

    @Test
    void unreadableNumbersInTheAddressAreAFriendly400() {
        for (String path : List.of("/admin?page=abc", "/admin?page=2147483648", "/admin/rooms?page=1e3",
                "/admin/audit?page=99999999999999999999", "/admin/users/99999999999999999999",
                "/admin/users/not-a-number", "/rooms/1.5", "/rooms/99999999999999999999/edit")) {
            WebSession.Page page = admin.get(path);
            assertThat(page.status()).as(path).isEqualTo(400);
            assertThat(page.text("error-problem")).as(path).contains("a value Parley cannot use");
            assertNoInternals(page);
        }
        WebSession.Page chinese = admin.acceptLanguage("zh-CN").get("/admin?page=abc");
        assertThat(chinese.text("error-problem")).contains("无法使用的值");
    }

    @Test
    void newUsersNeedAReadableDisplayNameAndAKnownRole() {
        for (String name : List.of("Bob\u0000", "\u200B", "\u202Eevil")) {
            WebSession.Page page = admin.submit("/admin/users/new", "/admin/users", Map.of(
                    "email", "readable-" + name.length() + "@example.org", "displayName", name, "role", "MEMBER",
                    "newPassword", "Pumpkin-Orbit-Saxophone-7"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.text("error-displayName")).contains("readable text");
        }
        WebSession.Page badRole = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "role-check@example.org", "displayName", "Role check", "role", "EMPEROR",
                "newPassword", "Pumpkin-Orbit-Saxophone-7"));
        assertThat(badRole.status()).isEqualTo(200);
        assertThat(badRole.text("error-role")).isEqualTo("This value is not valid.");
        assertNoInternals(badRole);
        assertThat(users.existsByEmail("readable-1@example.org")).isFalse();
        assertThat(users.existsByEmail("role-check@example.org")).isFalse();
    }

    @Test
    void everyFieldsProblemShowsAfterOneSubmit() {
        WebSession.Page page = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", ParleyWebTest.ADMIN_EMAIL, "displayName", "", "role", "MEMBER", "newPassword", "password"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("error-email")).as("taken: the service's rule beside the form's own")
                .isEqualTo("An account with this e-mail address exists already.");
        assertThat(page.text("error-displayName")).isEqualTo("Please enter a display name.");
        assertThat(page.text("error-newPassword")).isEqualTo("Use at least 10 characters.");

        WebSession.Page taken = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", ParleyWebTest.ADMIN_EMAIL, "displayName", "Both wrong", "role", "MEMBER",
                "newPassword", "password123456"));
        assertThat(taken.text("error-email")).isEqualTo("An account with this e-mail address exists already.");
        assertThat(taken.text("error-newPassword")).startsWith("This password is too easy to guess.");
    }

    private static void assertNoInternals(WebSession.Page page) {
        assertThat(page.body()).doesNotContain("java.").doesNotContain("Failed to convert")
                .doesNotContain("Exception").doesNotContain("at org.");
    }
}
