package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class LoginTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    AuditEventRepository auditEvents;

    @Test
    void signsInAndOutWithTheForm() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession browser = new WebSession(port);
        String sessionBefore = browser.get("/login").header("Set-Cookie").orElse("");

        WebSession.Page result = browser.submit("/login", "/login",
                Map.of("email", host.getEmail().toUpperCase(), "password", Fixtures.PASSWORD));

        assertThat(result.status()).isEqualTo(302);
        assertThat(result.location()).endsWith("/");
        // Session fixation protection: the session id changes at login.
        assertThat(result.header("Set-Cookie").orElse("")).startsWith("PARLEY_SESSION=").isNotEqualTo(sessionBefore);
        assertThat(browser.follow(result).text("nav-profile")).isEqualTo(host.getDisplayName());
        assertThat(users.findById(host.getId()).orElseThrow().getLastLoginAt()).isNotNull();

        WebSession.Page profile = browser.get("/profile");
        WebSession.Page loggedOut = browser.post("/logout", profile.csrfToken(), Map.of());
        assertThat(loggedOut.location()).endsWith("/login?logout");
        assertThat(browser.get("/profile").location()).endsWith("/login");
    }

    @Test
    void wrongPasswordShowsAMessageWithoutRevealingWhichFieldWasWrong() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession browser = new WebSession(port);
        WebSession.Page result = browser.submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", "not-the-password"));
        assertThat(result.location()).endsWith("/login?error=bad");
        assertThat(browser.follow(result).text("login-error")).isEqualTo("Wrong e-mail or password.");

        WebSession.Page unknown = browser.submit("/login", "/login",
                Map.of("email", "nobody@parley.test", "password", "whatever-it-is"));
        assertThat(unknown.location()).endsWith("/login?error=bad");
    }

    @Test
    void repeatedFailuresLockTheAccountWithAMessageAndAnAuditEntry() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession browser = new WebSession(port);
        for (int i = 0; i < 5; i++) {
            browser.submit("/login", "/login", Map.of("email", member.getEmail(), "password", "wrong-" + i));
        }
        WebSession.Page locked = browser.submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD));

        assertThat(locked.location()).endsWith("/login?error=locked");
        assertThat(browser.follow(locked).text("login-error")).contains("locked");
        assertThat(users.findById(member.getId()).orElseThrow().getLockedUntil()).isNotNull();
        assertThat(auditEvents.findAll()).anySatisfy(event -> {
            assertThat(event.getAction()).isEqualTo("ACCOUNT_LOCKED");
            assertThat(event.getTarget()).isEqualTo(member.getEmail());
            assertThat(event.getRemoteAddress()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void disabledAccountsCannotSignIn() {
        UserAccount member = fixtures.user(Role.MEMBER);
        UserAccount account = users.findById(member.getId()).orElseThrow();
        account.setEnabled(false);
        users.save(account);

        WebSession.Page result = new WebSession(port).submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD));
        assertThat(result.location()).endsWith("/login?error=disabled");
    }

    @Test
    void rememberMeKeepsTheUserSignedInWithoutTheSession() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession browser = new WebSession(port);
        browser.submit("/login", "/login",
                Map.of("email", host.getEmail(), "password", Fixtures.PASSWORD, "remember-me", "on"));
        String token = browser.cookie("PARLEY_REMEMBER_ME").orElseThrow().getValue();

        WebSession laterVisit = new WebSession(port);
        laterVisit.addCookie("PARLEY_REMEMBER_ME", token);
        WebSession.Page profile = laterVisit.get("/profile");
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.text("profile-email")).isEqualTo(host.getEmail());
    }

    @Test
    void loginWithoutCsrfTokenIsRefused() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession browser = new WebSession(port);
        browser.get("/login");
        WebSession.Page forged = browser.postRaw("/login",
                Map.of("email", host.getEmail(), "password", Fixtures.PASSWORD));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        WebSession.Page page = new WebSession(port).get("/login");
        String csp = page.header("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.header("X-Frame-Options")).contains("DENY");
        assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.header("Referrer-Policy")).contains("same-origin");
        assertThat(page.header("Permissions-Policy").orElseThrow()).contains("camera=(self)");
        assertThat(page.header("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void noPageUsesInlineScriptsOrStyles() {
        WebSession anonymous = new WebSession(port);
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        for (String path : new String[] {"/", "/login", "/rooms", "/rooms/new", "/admin", "/admin/rooms", "/admin/audit",
                "/admin/users/new", "/profile", "/profile/password"}) {
            WebSession.Page page = path.equals("/") || path.equals("/login") ? anonymous.get(path) : admin.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.html().select("script:not([src])")).as("inline script on %s", path).isEmpty();
            assertThat(page.html().select("[style]")).as("style attribute on %s", path).isEmpty();
            assertThat(page.html().select("style")).as("style element on %s", path).isEmpty();
            assertThat(page.html().select("[onclick], [onload], [onsubmit], [onchange]")).as(path).isEmpty();
        }
    }
}
