package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.recording.TestRecordings;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.TestIds;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A room's recordings page in headless Chromium while the video is made: the progress bar follows the composition
 * without a reload, the download link appears once it is ready, and deleting asks first. RecordingPagesTest covers
 * the rest over plain HTTP.
 */
@Tag("browser")
@ParleyWebTest
class RecordingsPageBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestRecordings recordings;

    ChromeDriver host;

    @AfterEach
    void closeBrowser() {
        if (host != null) {
            host.quit();
        }
    }

    @Test
    void theProgressBarFollowsTheCompositionUntilTheDownloadAppears() {
        Fixtures.SignedIn account = fixtures.signedIn(Role.HOST, "rec-browser");
        long roomId = account.scheduleRoom("Browser recording", 0);
        TestRecordings.Made recording = recordings.composing(roomId, 20);

        host = Browsers.chromium();
        String base = "http://127.0.0.1:" + port;
        host.get(base + "/login");
        page().type("login-email", account.account().getEmail());
        page().type("login-password", Fixtures.PASSWORD);
        page().click("login-submit");
        wait(host).until(d -> !d.getCurrentUrl().contains("/login"));

        host.get(base + "/rooms/" + roomId);
        page().click("room-recordings-link");
        assertThat(page().text("recording-state")).isEqualTo("Making the video");
        assertThat(page().text("recording-progress-text")).isEqualTo("20 %");
        assertThat(page().byTestId("recording-download").isDisplayed()).isFalse();
        // marks this page: a reload would lose it
        host.executeScript("document.body.dataset.sameLoad = 'yes'");

        recordings.progress(recording.id(), 65);
        wait(host).until(d -> page().text("recording-progress-text").equals("65 %"));
        assertThat(page().byTestId("recording-progress-bar").getAttribute("value")).isEqualTo("65");

        recordings.finishComposing(recording.id());
        wait(host).until(d -> page().byTestId("recording-download").isDisplayed());
        assertThat(page().text("recording-state")).isEqualTo("Ready");
        assertThat(page().byTestId("recording-progress").isDisplayed()).isFalse();
        assertThat(page().text("recording-composed-size")).isEqualTo("50.0 KB");
        assertThat(page().byTestId("recording-download").getAttribute("href"))
                .isEqualTo(base + "/recordings/" + recording.id() + "/composed.mp4");
        assertThat(host.findElement(By.tagName("body")).getAttribute("data-same-load")).as("no reload").isEqualTo("yes");

        page().click("recording-delete");
        wait(host).until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(host.findElements(By.cssSelector("[data-testid='recording']"))).hasSize(1);
        page().click("recording-delete");
        wait(host).until(ExpectedConditions.alertIsPresent()).accept();
        wait(host).until(d -> page().text("flash").equals("Recording deleted."));
        assertThat(page().text("recordings-empty")).isEqualTo("This room has no recordings.");
        assertThat(recordings.exists(recording.id())).isFalse();
    }

    private TestIds page() {
        return new TestIds(host);
    }

    private static WebDriverWait wait(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }
}
