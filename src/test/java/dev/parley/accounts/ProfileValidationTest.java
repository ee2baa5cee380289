package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Issue 8: the profile takes only offered time zones and readable display names. */
@ParleyWebTest
class ProfileValidationTest {

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
    void onlyTheOfferedTimeZonesAreAccepted() {
        for (String zone : List.of("SystemV/AST4", "Etc/GMT+5", "EST")) {
            WebSession.Page page = session.submit("/profile", "/profile", Map.of("displayName", "Ok", "timeZone", zone));
            assertThat(page.status()).as(zone).isEqualTo(200);
            assertThat(page.text("error-timeZone")).as(zone).isEqualTo("Choose a time zone from the list.");
        }
        assertThat(users.findById(account.getId()).orElseThrow().getTimeZone()).isNull();

        Set<String> offered = session.get("/profile").html().select("#timeZone option").stream()
                .map(o -> o.attr("value")).collect(Collectors.toSet());
        assertThat(offered).contains("", "UTC", "Asia/Shanghai").doesNotContain("SystemV/AST4", "Etc/GMT+5");
        assertThat(session.submit("/profile", "/profile", Map.of("displayName", "Ok", "timeZone", "Asia/Shanghai"))
                .status()).isEqualTo(302);
    }

    @Test
    void everyFieldsProblemShowsAfterOneSubmit() {
        WebSession.Page profile = session.submit("/profile", "/profile",
                Map.of("displayName", "", "timeZone", "SystemV/AST4"));
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.text("error-displayName")).isEqualTo("Please enter a display name.");
        assertThat(profile.text("error-timeZone")).isEqualTo("Choose a time zone from the list.");

        WebSession.Page password = session.submit("/profile/password", "/profile/password", Map.of(
                "currentPassword", "not-the-password", "newPassword", "short", "confirmPassword", "shorter"));
        assertThat(password.status()).isEqualTo(200);
        assertThat(password.text("error-currentPassword")).isEqualTo("The current password is not right.");
        assertThat(password.text("error-newPassword")).isEqualTo("Use at least 10 characters.");
        assertThat(password.text("error-confirmPassword")).isEqualTo("The two new passwords differ.");

        WebSession.Page wrongAndWeak = session.submit("/profile/password", "/profile/password", Map.of(
                "currentPassword", "not-the-password", "newPassword", "password123456",
                "confirmPassword", "password123456"));
        assertThat(wrongAndWeak.text("error-currentPassword")).isEqualTo("The current password is not right.");
        assertThat(wrongAndWeak.text("error-newPassword")).startsWith("This password is too easy to guess.");
        assertThat(wrongAndWeak.has("error-confirmPassword")).isFalse();
        assertThat(session.get("/profile").status()).as("still signed in with the old password").isEqualTo(200);
    }

    @Test
    void displayNamesMustBeReadableText() {
        for (String name : List.of("Mallory\u0000", "\u0007bell", "\u200B\u200C\u200D", "\u202Enimda",
                "\u2067Eve\u2069", "\u3164\u3164")) {
            WebSession.Page page = session.submit("/profile", "/profile", Map.of("displayName", name, "timeZone", ""));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.text("error-displayName")).contains("readable text");
        }
        assertThat(session.acceptLanguage("zh-CN").submit("/profile", "/profile",
                Map.of("displayName", "\u202Enimda", "timeZone", "")).text("error-displayName"))
                .isEqualTo("请使用可读的文字：不能包含控制字符或文字方向控制字符，也不能只有不可见字符。");
        assertThat(users.findById(account.getId()).orElseThrow().getDisplayName()).isEqualTo(account.getDisplayName());

        assertThat(session.submit("/profile", "/profile", Map.of("displayName", "李雷 ‏(Lǐ Léi)", "timeZone", ""))
                .status()).isEqualTo(302);
    }
}
