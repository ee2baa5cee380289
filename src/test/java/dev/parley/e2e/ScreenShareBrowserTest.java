package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;

/**
 * Screen sharing in headless Chromium, in English and in Chinese in one meeting. Chromium's fake devices fake the screen too
 * (--use-fake-device-for-media-stream with --use-fake-ui-for-media-stream picks it without a prompt), at the 1920 x
 * 1080 the page asks for at most. Ada shares: she sees that she does, and Bob gets her screen large, named as hers,
 * decoding frames taller than the layer of her camera he gets. Cyd shares too: Bob switches between the two. Ada stops
 * with the toolbar button and her screen leaves Bob's page; Cyd stops with her banner's button and the stage goes; Bob
 * shares and his browser ends the share itself (its own "Stop sharing", as the track's ended event). Ada's page is in
 * Chinese, Bob's and Cyd's in English.
 */
@Tag("browser")
@ParleyWebTest
class ScreenShareBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final By SHARE_BUTTON = By.cssSelector("[data-testid=share-button]");
    private static final By BANNER = By.cssSelector("[data-testid=screen-share-banner]");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MessageSource messages;

    final List<ChromeDriver> browsers = new ArrayList<>();

    @AfterEach
    void quit() {
        Browsers.quitAll(browsers, true);
    }

    @Test
    void sharersAreSeenLargeBySomeoneWhoSwitchesBetweenThemAndStoppingEndsEachShareForEveryone() {
        // Both languages in one meeting (one run keeps the suite short): Ada reads Chinese, Bob and Cyd English.
        Locale locale = Locale.SIMPLIFIED_CHINESE;
        Locale bobLocale = Locale.ENGLISH;
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String link = host.link(host.scheduleRoom("Screens", 1));
        ChromeDriver ada = join(link, "Ada", "zh-CN");
        ChromeDriver bob = join(link, "Bob", "en");
        ChromeDriver cyd = join(link, "Cyd", "en");
        String adaId = participantId(ada);
        String cydId = participantId(cyd);
        for (ChromeDriver browser : browsers) {
            wait(browser).until(d -> d.findElements(By.cssSelector("[data-testid=video-tile]")).size() == 3);
        }
        assertThat(ada.findElement(SHARE_BUTTON).getText()).isEqualTo(text("call.screen.start", locale));
        assertThat(ada.findElement(SHARE_BUTTON).getAttribute("aria-pressed")).isEqualTo("false");

        ada.findElement(SHARE_BUTTON).click();

        wait(ada).until(d -> "true".equals(d.findElement(SHARE_BUTTON).getAttribute("aria-pressed")));
        assertThat(ada.findElement(SHARE_BUTTON).getText()).isEqualTo(text("call.screen.stop", locale));
        WebElement banner = wait(ada).until(ExpectedConditions.visibilityOfElementLocated(BANNER));
        assertThat(banner.getText()).contains(text("call.screen.youShare", locale));
        assertThat(ada.findElements(screenTile(adaId))).as("no hall of mirrors: Ada does not watch her own screen")
                .isEmpty();
        WebElement adaScreen = wait(bob).until(ExpectedConditions.visibilityOfElementLocated(screenTile(adaId)));
        assertThat(adaScreen.findElement(By.cssSelector("[data-testid=screen-tile-name]")).getText())
                .isEqualTo(text("call.screen.sharedBy", bobLocale, "Ada"));
        Map<String, Number> screen = decoding(bob, adaId + "/screen");
        Map<String, Number> camera = decoding(bob, adaId + "/camera");
        System.out.printf("Bob receives Ada's screen at %sx%s and her camera at %sx%s%n", screen.get("frameWidth"),
                screen.get("frameHeight"), camera.get("frameWidth"), camera.get("frameHeight"));
        assertThat(screen.get("frameHeight").intValue()).as("the screen keeps its detail")
                .isGreaterThan(camera.get("frameHeight").intValue());
        playing(bob, adaId);
        wait(cyd).until(ExpectedConditions.visibilityOfElementLocated(screenTile(adaId)));

        // A second sharer at once: Bob sees one share large and switches to the other.
        cyd.findElement(SHARE_BUTTON).click();
        wait(bob).until(d -> d.findElements(By.cssSelector("[data-testid=screen-tile]")).size() == 2);
        WebElement switcher = wait(bob).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=screen-switcher]")));
        assertThat(switcher.findElements(By.cssSelector("[data-testid=screen-switch]"))).extracting(WebElement::getText)
                .containsExactly("Ada", "Cyd");
        assertThat(bob.findElement(screenTile(adaId)).isDisplayed()).as("the first share shows").isTrue();
        assertThat(bob.findElement(screenTile(cydId)).isDisplayed()).isFalse();
        switcher.findElement(By.cssSelector("[data-testid=screen-switch][data-participant-id='" + cydId + "']"))
                .click();
        wait(bob).until(d -> d.findElement(screenTile(cydId)).isDisplayed()
                && !d.findElement(screenTile(adaId)).isDisplayed());
        decoding(bob, cydId + "/screen");
        playing(bob, cydId);
        wait(ada).until(ExpectedConditions.visibilityOfElementLocated(screenTile(cydId)));
        decoding(ada, cydId + "/screen");

        // Ada stops with the toolbar button: her screen leaves everyone's page at once; Cyd's shows alone.
        ada.findElement(SHARE_BUTTON).click();
        wait(bob).until(d -> d.findElements(screenTile(adaId)).isEmpty());
        wait(cyd).until(d -> d.findElements(screenTile(adaId)).isEmpty());
        wait(ada).until(ExpectedConditions.invisibilityOfElementLocated(BANNER));
        assertThat(ada.findElement(SHARE_BUTTON).getAttribute("aria-pressed")).isEqualTo("false");
        assertThat(ada.findElement(SHARE_BUTTON).getText()).isEqualTo(text("call.screen.start", locale));
        assertThat(bob.findElement(screenTile(cydId)).isDisplayed()).isTrue();
        assertThat(bob.findElement(By.cssSelector("[data-testid=screen-switcher]")).isDisplayed()).isFalse();

        // Cyd stops with her banner's button: the stage goes.
        wait(cyd).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=screen-share-stop]")))
                .click();
        wait(bob).until(d -> d.findElements(By.cssSelector("[data-testid=screen-tile]")).isEmpty());
        wait(bob).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid=screen-stage]")));
        wait(cyd).until(ExpectedConditions.invisibilityOfElementLocated(BANNER));

        // Bob shares, and his browser ends the share itself, as its own "Stop sharing" does: the track ends.
        String bobId = participantId(bob);
        bob.findElement(SHARE_BUTTON).click();
        wait(ada).until(ExpectedConditions.visibilityOfElementLocated(screenTile(bobId)));
        ((org.openqa.selenium.JavascriptExecutor) bob).executeScript(
                "window.parleyMeeting.screenTrack.dispatchEvent(new Event('ended'));");
        wait(ada).until(d -> d.findElements(By.cssSelector("[data-testid=screen-tile]")).isEmpty());
        wait(ada).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid=screen-stage]")));
        wait(bob).until(ExpectedConditions.invisibilityOfElementLocated(BANNER));
        assertThat(((org.openqa.selenium.JavascriptExecutor) bob).executeScript(
                "return window.parleyMeeting.screenTrack;")).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    private ChromeDriver join(String link, String name, String language) {
        ChromeDriver browser = Browsers.chromium();
        browsers.add(browser);
        browser.get("http://localhost:" + port + "/lang?lang=" + language + "&return=/");
        browser.get(link.replace("127.0.0.1", "localhost"));
        Browsers.enterMeeting(browser, name, PATIENCE);
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).startsWith(language.substring(0, 2));
        return browser;
    }

    private static String participantId(ChromeDriver browser) {
        return (String) browser.executeScript("return window.parleyMeeting.participantId;");
    }

    private static By screenTile(String participantId) {
        return By.cssSelector("[data-testid=screen-tile][data-participant-id='" + participantId + "']");
    }

    /**
     * Waits until the video the browser receives as {@code key} (participant id / source) decodes: frames decoded
     * rising between two samples; returns the later sample.
     */
    private static Map<String, Number> decoding(ChromeDriver browser, String key) {
        Map<String, Number> first = wait(browser).until(d -> {
            Map<String, Number> s = videoStats(browser).get(key);
            return s != null && s.get("framesDecoded").longValue() > 0 ? s : null;
        });
        return wait(browser).until(d -> {
            Map<String, Number> s = videoStats(browser).get(key);
            return s != null && s.get("framesDecoded").longValue() > first.get("framesDecoded").longValue() + 5
                    && s.get("frameHeight").intValue() > 0 ? s : null;
        });
    }

    /** Waits until the screen tile's video element plays the share: its picture size known, its time moving on. */
    private static void playing(ChromeDriver browser, String participantId) {
        String video = "document.querySelector(\"[data-testid=screen-tile][data-participant-id='" + participantId
                + "'] video\")";
        double first = wait(browser).until(d -> {
            Object time = browser.executeScript("const v = " + video + "; return v && v.videoHeight > 0 && !v.paused"
                    + " ? v.currentTime : null;");
            return time == null ? null : ((Number) time).doubleValue();
        });
        wait(browser).until(d -> ((Number) browser.executeScript("return " + video + ".currentTime;")).doubleValue()
                > first);
    }

    /** The video the browser receives, by participant id and source ("p-…/screen"): frames decoded and their size. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Number>> videoStats(ChromeDriver browser) {
        return (Map<String, Map<String, Number>>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const meeting = window.parleyMeeting;
                if (!meeting.peerConnection) { done({}); return; }
                meeting.peerConnection.getStats().then((report) => {
                  const videos = {};
                  report.forEach((r) => {
                    const track = meeting.tracks[r.mid];
                    if (r.type !== 'inbound-rtp' || r.kind !== 'video' || !track) return;
                    videos[track.participantId + '/' + track.source] = { framesDecoded: r.framesDecoded || 0,
                      frameWidth: r.frameWidth || 0, frameHeight: r.frameHeight || 0 };
                  });
                  done(videos);
                }, () => done({}));
                """);
    }

    private static WebDriverWait wait(ChromeDriver browser) {
        return new WebDriverWait(browser, PATIENCE);
    }
}
