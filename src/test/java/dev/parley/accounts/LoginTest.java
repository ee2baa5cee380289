package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class LoginTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    AuditEventRepository auditEvents;

    @Autowired
    AccountProperties settings;

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
        assertThat(auditEvents.findAll()).anySatisfy(event -> {
            assertThat(event.getAction()).isEqualTo("LOGIN_SUCCEEDED");
            assertThat(event.getTarget()).isEqualTo(host.getEmail());
        });

        WebSession.Page profile = browser.get("/profile");
        WebSession.Page loggedOut = browser.post("/logout", profile.csrfToken(), Map.of());
        assertThat(loggedOut.location()).endsWith("/login?logout");
        assertThat(browser.get("/profile").location()).endsWith("/login");
    }

    @Test
    void wrongPasswordShowsAMessageWithoutRevealingWhichFieldWasWrong() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession browser = new WebSession(port);
        String address = uniqueAddress();
        WebSession.Page result = signIn(browser, address, member.getEmail(), "not-the-password");
        assertThat(result.location()).endsWith("/login?error=bad");
        WebSession.Page again = browser.follow(result);
        assertThat(again.text("login-error")).isEqualTo("Wrong e-mail or password.");
        assertThat(again.byTestId("login-email").attr("value")).as("the e-mail typed is kept")
                .isEqualTo(member.getEmail());
        assertThat(again.byTestId("login-password").attr("value")).isEmpty();
        assertThat(browser.get("/login").byTestId("login-email").attr("value")).as("only once").isEmpty();

        WebSession.Page unknown = signIn(browser, address, "nobody@parley.test", "whatever-it-is");
        assertThat(unknown.location()).endsWith("/login?error=bad");
    }

    @Test
    void repeatedFailuresFromOneAddressBlockThatAddressForThatAccountOnly() {
        UserAccount member = fixtures.user(Role.MEMBER);
        String attacker = uniqueAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(attacker, member.getEmail(), "wrong-" + i).location()).endsWith("/login?error=bad");
        }
        WebSession browser = new WebSession(port);
        WebSession.Page blocked = signIn(browser, attacker, member.getEmail(), Fixtures.PASSWORD);
        assertThat(blocked.location()).endsWith("/login?error=locked");
        assertThat(browser.follow(blocked).text("login-error")).contains("Too many failed sign-in attempts");
        assertThat(auditEvents.findAll()).anySatisfy(event -> {
            assertThat(event.getAction()).isEqualTo("LOGIN_THROTTLED");
            assertThat(event.getTarget()).isEqualTo(member.getEmail());
            assertThat(event.getRemoteAddress()).isEqualTo(attacker);
        });

        // The owner, elsewhere, is not locked out by a stranger's guesses.
        assertThat(signIn(uniqueAddress(), member.getEmail(), Fixtures.PASSWORD).location()).doesNotContain("error");
        assertThat(users.findById(member.getId()).orElseThrow().getLockedUntil()).isNull();
    }

    @Test
    void guessesAtOneAccountArrivingTogetherAreEachRefusedAndCounted() throws Exception {
        UserAccount member = fixtures.user(Role.MEMBER);
        int guesses = 8;
        List<WebSession.Page> forms = new ArrayList<>();
        List<WebSession> browsers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < guesses; i++) {
            WebSession browser = new WebSession(port);
            String address = uniqueAddress();
            browsers.add(browser);
            addresses.add(address);
            forms.add(browser.get("/login", Map.of("X-Forwarded-For", address)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        try {
            List<Future<WebSession.Page>> results = new ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return browsers.get(n).post("/login", forms.get(n).csrfToken(),
                            Map.of("email", member.getEmail(), "password", "guess-" + n),
                            Map.of("X-Forwarded-For", addresses.get(n)));
                }));
            }
            start.countDown();
            for (Future<WebSession.Page> result : results) {
                WebSession.Page page = result.get(30, TimeUnit.SECONDS);
                assertThat(page.status()).as("a refusal, never a server error").isEqualTo(302);
                assertThat(page.location()).endsWith("/login?error=bad");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(users.findById(member.getId()).orElseThrow().getFailedLoginCount()).as("every guess counted")
                .isEqualTo(guesses);
    }

    @Test
    void unknownAndDisabledAccountsAnswerExactlyLikeAWrongPassword() {
        UserAccount disabled = fixtures.user(Role.MEMBER);
        UserAccount account = users.findById(disabled.getId()).orElseThrow();
        account.setEnabled(false);
        users.save(account);
        String unknown = "nobody-" + System.nanoTime() + "@parley.test";

        for (String email : new String[] {unknown, disabled.getEmail()}) {
            String from = uniqueAddress();
            for (int i = 0; i < 5; i++) {
                assertThat(signIn(from, email, "wrong-" + i).location()).as(email).endsWith("/login?error=bad");
            }
            assertThat(signIn(from, email, "wrong-again").location()).as(email).endsWith("/login?error=locked");
        }
        String address = uniqueAddress();
        assertThat(signIn(address, disabled.getEmail(), "not-it").location()).endsWith("/login?error=bad");
        // Only the right password learns that the account is disabled.
        assertThat(signIn(address, disabled.getEmail(), Fixtures.PASSWORD).location()).endsWith("/login?error=disabled");
    }

    @Test
    void oneAddressTryingManyAccountsIsBlockedForAll() {
        UserAccount member = fixtures.user(Role.MEMBER);
        String sprayer = uniqueAddress();
        for (int i = 0; i < settings.security().maxFailedLoginsPerAddress(); i++) {
            signIn(sprayer, "spray-" + i + "-" + System.nanoTime() + "@parley.test", "Summer2026!");
        }
        assertThat(signIn(sprayer, member.getEmail(), Fixtures.PASSWORD).location()).endsWith("/login?error=locked");
        assertThat(signIn(uniqueAddress(), member.getEmail(), Fixtures.PASSWORD).location()).doesNotContain("error");
    }

    @Test
    void guessesFromManyAddressesLockTheAccountUntilAnAdminUnlocksIt() {
        UserAccount member = fixtures.user(Role.MEMBER);
        for (int i = 0; i < settings.security().maxFailedLoginsPerAccount(); i++) {
            signIn(uniqueAddress(), member.getEmail(), "guess-" + i);
        }
        assertThat(users.findById(member.getId()).orElseThrow().getLockedUntil()).isNotNull();
        assertThat(signIn(uniqueAddress(), member.getEmail(), Fixtures.PASSWORD).location())
                .endsWith("/login?error=locked");
        assertThat(auditEvents.findAll()).anySatisfy(event -> {
            assertThat(event.getAction()).isEqualTo("ACCOUNT_LOCKED");
            assertThat(event.getTarget()).isEqualTo(member.getEmail());
        });

        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        admin.post("/admin/users/" + member.getId() + "/unlock", admin.get("/admin").csrfToken(), Map.of());
        assertThat(signIn(uniqueAddress(), member.getEmail(), Fixtures.PASSWORD).location()).doesNotContain("error");
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
    void aTrustedProxysHttpsHeaderMakesCookiesSecure() {
        // Loopback is the default trusted proxy; UntrustedForwardedHeadersTest shows the same header ignored otherwise.
        WebSession.Page page = new WebSession(port).get("/login", Map.of("X-Forwarded-Proto", "https"));
        assertThat(page.header("Set-Cookie").orElseThrow()).contains("Secure");
        assertThat(page.header("Strict-Transport-Security")).isPresent();
    }

    @Test
    void theRememberMeCookieIsHttpOnlyAndSameSite() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page login = new WebSession(port).submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD, "remember-me", "on"));
        assertThat(login.headers("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("PARLEY_REMEMBER_ME=").contains("HttpOnly").contains("SameSite=Lax"));
    }

    /** And every input names its type: the stylesheet styles inputs by type, so one without looked unlike the rest. */
    @Test
    void noPageUsesInlineScriptsOrStylesAndEveryInputHasAType() {
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
            assertThat(page.html().select("input:not([type])")).as("input without a type on %s", path).isEmpty();
        }
    }

    /** A client address of its own for each test, through the reverse proxy header Parley trusts from loopback. */
    private static String uniqueAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (n / 250) % 250 + "." + (n % 250 + 1);
    }

    private WebSession.Page signIn(String address, String email, String password) {
        return signIn(new WebSession(port), address, email, password);
    }

    private static WebSession.Page signIn(WebSession browser, String address, String email, String password) {
        WebSession.Page form = browser.get("/login", Map.of("X-Forwarded-For", address));
        return browser.post("/login", form.csrfToken(), Map.of("email", email, "password", password),
                Map.of("X-Forwarded-For", address));
    }
}
