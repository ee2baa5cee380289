package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Browsers;
import dev.parley.testing.ParleyWebTest;
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
        type("login-email", ParleyWebTest.ADMIN_EMAIL);
        type("login-password", ParleyWebTest.ADMIN_PASSWORD);
        click("login-submit");
        wait(admin).until(d -> !d.getCurrentUrl().contains("/login"));

        admin.get(base + "/admin");
        click("admin-webhooks");
        type("webhook-url-input", "http://127.0.0.1:9/browser-hook");
        click("webhook-event-room.cancelled");
        click("webhook-event-meeting.ended");
        click("webhook-enabled-input"); // off: nothing is sent to the made-up receiver
        click("webhook-submit");
        assertThat(text("flash")).isEqualTo("Webhook added.");
        assertThat(text("webhook-heading")).isEqualTo("http://127.0.0.1:9/browser-hook");
        assertThat(byTestId("webhook-event-room.cancelled").isSelected()).isTrue();
        assertThat(byTestId("webhook-event-meeting.started").isSelected()).isFalse();
        assertThat(byTestId("webhook-enabled-input").isSelected()).isFalse();
        String secret = byTestId("webhook-secret").getAttribute("value");
        assertThat(secret).startsWith("whsec_");

        click("copy-webhook-secret");
        wait(admin).until(d -> !text("webhook-copy-status").isBlank());

        click("webhook-rotate");
        wait(admin).until(ExpectedConditions.alertIsPresent()).accept();
        wait(admin).until(d -> text("flash").contains("new secret"));
        assertThat(byTestId("webhook-secret").getAttribute("value")).startsWith("whsec_").isNotEqualTo(secret);

        String page = admin.getCurrentUrl();
        click("webhook-delete");
        wait(admin).until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(admin.getCurrentUrl()).isEqualTo(page);
        click("webhook-delete");
        wait(admin).until(ExpectedConditions.alertIsPresent()).accept();
        wait(admin).until(d -> text("flash").equals("Webhook deleted."));
        assertThat(admin.findElements(By.cssSelector("[data-testid='webhook-link']")).stream().map(WebElement::getText))
                .doesNotContain("http://127.0.0.1:9/browser-hook");
    }

    private WebElement byTestId(String id) {
        return wait(admin).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid='" + id + "']")));
    }

    private String text(String id) {
        return byTestId(id).getText();
    }

    private void type(String id, String value) {
        WebElement element = byTestId(id);
        element.clear();
        element.sendKeys(value);
    }

    private void click(String id) {
        wait(admin).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid='" + id + "']")))
                .click();
    }

    private static WebDriverWait wait(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }
}
