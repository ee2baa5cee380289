package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Browsers;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.TestIds;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Admin → Webhooks in headless Chromium: an admin adds a (disabled) webhook by ticking events, copies the secret shown
 * once, confirms a new secret, and deletes the webhook after first cancelling the confirmation. WebhookTest covers
 * the deliveries.
 */
@Tag("browser")
@ParleyWebTest
class WebhookPageBrowserTest {

    @LocalServerPort
    int port;

    ChromeDriver admin;

    @AfterEach
    void closeBrowser() {
        if (admin != null) {
            admin.quit();
        }
    }

    @Test
    void anAdminAddsCopiesRotatesAndDeletesAWebhook() {
        admin = Browsers.chromium();
        String base = "http://127.0.0.1:" + port;
        admin.get(base + "/login");
        page().type("login-email", ParleyWebTest.ADMIN_EMAIL);
        page().type("login-password", ParleyWebTest.ADMIN_PASSWORD);
        page().click("login-submit");
        wait(admin).until(d -> !d.getCurrentUrl().contains("/login"));

        admin.get(base + "/admin");
        page().click("admin-webhooks");
        page().type("webhook-url-input", "http://127.0.0.1:9/browser-hook");
        page().click("webhook-event-room.cancelled");
        page().click("webhook-event-meeting.ended");
        page().click("webhook-enabled-input"); // off: nothing is sent to the made-up receiver
        page().click("webhook-submit");
        assertThat(page().text("flash")).isEqualTo("Webhook added.");
        assertThat(page().text("webhook-heading")).isEqualTo("http://127.0.0.1:9/browser-hook");
        assertThat(page().byTestId("webhook-event-room.cancelled").isSelected()).isTrue();
        assertThat(page().byTestId("webhook-event-meeting.started").isSelected()).isFalse();
        assertThat(page().byTestId("webhook-enabled-input").isSelected()).isFalse();
        String secret = page().byTestId("webhook-secret").getAttribute("value");
        assertThat(secret).startsWith("whsec_");

        page().click("copy-webhook-secret");
        wait(admin).until(d -> !page().text("webhook-copy-status").isBlank());

        page().click("webhook-rotate");
        wait(admin).until(ExpectedConditions.alertIsPresent()).accept();
        wait(admin).until(d -> page().text("flash").contains("new secret"));
        assertThat(page().byTestId("webhook-secret").getAttribute("value")).startsWith("whsec_").isNotEqualTo(secret);

        String page = admin.getCurrentUrl();
        page().click("webhook-delete");
        wait(admin).until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(admin.getCurrentUrl()).isEqualTo(page);
        page().click("webhook-delete");
        wait(admin).until(ExpectedConditions.alertIsPresent()).accept();
        wait(admin).until(d -> page().text("flash").equals("Webhook deleted."));
        assertThat(admin.findElements(By.cssSelector("[data-testid='webhook-link']")).stream().map(WebElement::getText))
                .doesNotContain("http://127.0.0.1:9/browser-hook");
    }

    private TestIds page() {
        return new TestIds(admin);
    }

    private static WebDriverWait wait(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }
}
