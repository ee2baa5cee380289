package dev.parley.accounts.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.Browsers;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Single sign-on with a real OpenID Connect provider (Spring Authorization Server, {@link OidcTestProvider}) in
 * headless Chromium, with Parley's own passwords turned off: people sign in on the provider's page and land in Parley
 * with the role their "groups" claim gives; signing out ends the session at the provider too; a change of groups at
 * the provider counts at the next sign-in; a disabled account's session ends and it cannot sign in again.
 */
@Tag("browser")
@ParleyWebTest
class SingleSignOnBrowserTest {

    private static final String PROVIDER_ID = "test";
    private static OidcTestProvider provider;

    @LocalServerPort
    int port;

    @Autowired
    UserAccountRepository users;

    @Autowired
    AccountService accounts;

    @Autowired
    AuditEventRepository auditEvents;

    ChromeDriver browser;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        provider = OidcTestProvider.start();
        registry.add("parley.local-login", () -> "false");
        registry.add("parley.oidc." + PROVIDER_ID + ".issuer", provider::issuer);
        registry.add("parley.oidc." + PROVIDER_ID + ".client-id", () -> OidcTestProvider.CLIENT_ID);
        registry.add("parley.oidc." + PROVIDER_ID + ".client-secret", () -> OidcTestProvider.CLIENT_SECRET);
        registry.add("parley.oidc." + PROVIDER_ID + ".name", () -> "Test Identity");
        registry.add("parley.oidc." + PROVIDER_ID + ".role-claim", () -> "groups");
        registry.add("parley.oidc." + PROVIDER_ID + ".admin-groups", () -> "parley-admins");
        registry.add("parley.oidc." + PROVIDER_ID + ".host-groups", () -> "parley-hosts,teachers");
    }

    @BeforeEach
    void registerParley() {
        provider.registerParley(base(), PROVIDER_ID);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @Test
    void rolesFollowTheProvidersGroupsAtEverySignIn() {
        provider.addPerson("ann", List.of("staff", "parley-admins"));
        provider.addPerson("hal", List.of("teachers"));
        provider.addPerson("mia", List.of("students"));
        browser = Browsers.chromium();

        signIn("ann");
        browser.get(base() + "/admin");
        assertThat(byTestId("admin-new-user").isDisplayed()).isTrue();
        UserAccount ann = users.findByEmail("ann@sso.test").orElseThrow();
        assertThat(ann.getRole()).isEqualTo(Role.ADMIN);
        assertThat(ann.getDisplayName()).isEqualTo("Ann Provider");
        assertThat(audited(AuditAction.USER_CREATED, "ann@sso.test")).isEqualTo(1);
        assertThat(audited(AuditAction.LOGIN_SUCCEEDED, "ann@sso.test")).isEqualTo(1);
        signOut();

        // Signed out at the provider too: the next sign-in asks for a password again, and can be someone else.
        signIn("hal");
        browser.get(base() + "/rooms");
        byTestId("meet-now").click();
        wait(browser).until(ExpectedConditions.urlMatches("/r/[A-Za-z0-9_-]{22}$"));
        assertThat(users.findByEmail("hal@sso.test").orElseThrow().getRole()).isEqualTo(Role.HOST);
        signOut();

        signIn("mia");
        browser.get(base() + "/rooms");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        assertThat(users.findByEmail("mia@sso.test").orElseThrow().getRole()).isEqualTo(Role.MEMBER);
        signOut();

        // The provider puts Mia among the teachers: her next sign-in makes her a host, on the same account.
        provider.addPerson("mia", List.of("students", "teachers"));
        signIn("mia");
        browser.get(base() + "/rooms");
        assertThat(byTestId("meet-now").isDisplayed()).isTrue();
        assertThat(users.findByEmail("mia@sso.test").orElseThrow().getRole()).isEqualTo(Role.HOST);
        assertThat(audited(AuditAction.USER_CREATED, "mia@sso.test")).isEqualTo(1);
        assertThat(audited(AuditAction.USER_ROLE_CHANGED, "mia@sso.test")).isEqualTo(1);
    }

    @Test
    void withoutLocalPasswordsOnlyTheProviderSignsInAndDisabledAccountsStayOut() {
        // Over HTTP: the form is gone, a password post is refused before any check, nothing to reset.
        WebSession visitor = new WebSession(base());
        WebSession.Page login = visitor.get("/login");
        assertThat(login.has("login-form")).isFalse();
        assertThat(login.text("sso-" + PROVIDER_ID)).isEqualTo("Sign in with Test Identity");
        WebSession.Page refused = visitor.postRaw("/login", Map.of("email", ParleyWebTest.ADMIN_EMAIL, "password", ParleyWebTest.ADMIN_PASSWORD));
        assertThat(refused.location()).endsWith("/login?error=password-off");
        assertThat(visitor.follow(refused).text("login-error")).contains("Sign-in with a password is turned off");
        assertThat(visitor.get("/admin").status()).isEqualTo(302);
        assertThat(visitor.get("/forgot-password").status()).isEqualTo(404);
        // A provider that is not configured (or cannot be reached) gets words, not Spring Security's 500.
        WebSession.Page unknown = visitor.get("/oauth2/authorization/nosuch");
        assertThat(unknown.location()).endsWith("/login?error=sso-unavailable");
        assertThat(visitor.follow(unknown).text("login-error")).contains("cannot be reached right now");

        provider.addPerson("zoe", List.of());
        browser = Browsers.chromium();
        signIn("zoe");
        browser.get(base() + "/profile");
        UserAccount zoe = users.findByEmail("zoe@sso.test").orElseThrow();
        long adminId = users.findByEmail(ParleyWebTest.ADMIN_EMAIL).orElseThrow().getId();

        // An admin disables Zoe: her provider session in Parley ends at her next page, as a password session would.
        accounts.setEnabled(zoe.getId(), false, adminId);
        browser.get(base() + "/profile");
        wait(browser).until(ExpectedConditions.urlContains("/login?ended"));

        // The provider still vouches for her (she is signed in there), but Parley lets no disabled account in.
        byTestId("sso-" + PROVIDER_ID).click();
        wait(browser).until(ExpectedConditions.urlContains("/login?error=disabled"));
        assertThat(byTestId("login-error").getText()).contains("This account is disabled");
    }

    /** From Parley's login page through the provider's form, back to Parley signed in. */
    private void signIn(String username) {
        browser.get(base() + "/login");
        byTestId("sso-" + PROVIDER_ID).click();
        WebElement name = wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(provider.issuer());
        name.sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(OidcTestProvider.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // Home for members, the rooms page for hosts and admins.
        wait(browser).until(ExpectedConditions.urlMatches("^" + base() + "/(rooms)?$"));
        assertThat(byTestId("logout").isDisplayed()).isTrue();
    }

    /** Parley's "Sign out": through the provider's end-session endpoint back to Parley's login page. */
    private void signOut() {
        byTestId("logout").click();
        wait(browser).until(ExpectedConditions.urlToBe(base() + "/login?logout"));
        assertThat(byTestId("login-logged-out").isDisplayed()).isTrue();
    }

    private WebElement byTestId(String id) {
        return wait(browser).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid='" + id + "']")));
    }

    private long audited(AuditAction action, String target) {
        return auditEvents.findAll().stream()
                .filter(e -> e.getAction().equals(action.name()) && target.equals(e.getTarget())).count();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }
}
