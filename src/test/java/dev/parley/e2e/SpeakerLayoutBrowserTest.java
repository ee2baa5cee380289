package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.relay.Relay;
import dev.parley.relay.RelaySnapshot;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The speaker layout in three headless Chromium participants. Grace joins first and switches to the speaker view;
 * Linus joins, then Ada with a loud fake microphone (the others' are silent). Grace's stage shows Ada, much larger than
 * the filmstrip's tiles; Grace's page tells the relay a large size for Ada's video and a small one for the others',
 * so the relay may send her Ada in a higher simulcast layer. The received frame heights are printed and compared
 * leniently: with three browsers on two shared cores the publishers often send only their two lower layers, and
 * Grace's allocation often drops to the lowest one for everybody. Grace pins Linus and he takes the stage; a second click unpins him. After a reload Grace's
 * page still shows the speaker view (localStorage).
 */
@Tag("browser")
@ParleyWebTest
class SpeakerLayoutBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration LAYER_PATIENCE = Duration.ofSeconds(15);
    private static final By STAGE = By.cssSelector("[data-testid=stage]");
    private static final By FILMSTRIP = By.cssSelector("[data-testid=filmstrip]");
    private static final By LAYOUT_BUTTON = By.cssSelector("[data-testid=layout-button]");

    @Autowired
    Fixtures fixtures;

    @Autowired
    Relay relay;

    final List<ChromeDriver> browsers = new ArrayList<>();

    @AfterEach
    void quit() {
        Browsers.quitAll(browsers, true);
    }

    @Test
    void theSpeakerIsOnStageAPinOverridesItAndTheChoiceIsRemembered(@TempDir Path dir) throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String link = host.link(host.scheduleRoom("Speaker view", 1));
        Path voice = MeetingBrowserTest.wav(dir.resolve("voice.wav"), 0.6);
        Path silence = MeetingBrowserTest.wav(dir.resolve("silence.wav"), 0);

        ChromeDriver grace = browser(silence);
        join(grace, link, "Grace");
        assertThat(grace.findElement(LAYOUT_BUTTON).getAttribute("aria-pressed")).isEqualTo("false");
        grace.findElement(LAYOUT_BUTTON).click();
        assertThat(grace.findElement(LAYOUT_BUTTON).getAttribute("aria-pressed")).isEqualTo("true");
        wait(grace).until(ExpectedConditions.visibilityOfElementLocated(STAGE));
        assertThat(grace.findElement(By.cssSelector("[data-testid=video-grid]")).isDisplayed()).isFalse();

        ChromeDriver linus = browser(silence);
        join(linus, link, "Linus");
        ChromeDriver ada = browser(voice);
        join(ada, link, "Ada");
        String adaId = participantId(ada);
        String linusId = participantId(linus);
        String graceId = participantId(grace);
        waitForTiles(grace, 3);

        wait(grace).until(d -> adaId.equals(onStage(grace)));
        long adaOnStage = System.nanoTime();
        WebElement stageTile = tile(grace, adaId);
        assertThat(stageTile.getAttribute("data-speaking")).isEqualTo("true");
        assertThat(inFilmstrip(grace)).containsExactly(graceId, linusId);
        var stageSize = stageTile.getSize();
        for (String id : List.of(graceId, linusId)) {
            var small = tile(grace, id).getSize();
            System.out.printf("Grace's page: stage tile %dx%d, %s's filmstrip tile %dx%d%n", stageSize.width,
                    stageSize.height, id.equals(graceId) ? "Grace" : "Linus", small.width, small.height);
            assertThat(stageSize.width).as("the stage tile is much wider than a filmstrip tile")
                    .isGreaterThan(3 * small.width);
        }
        assertVideoPlays(grace, adaId);
        assertToldTheRelay(grace, adaId, linusId);

        Heights layers = awaitHigher(grace, adaId, linusId, adaOnStage);
        System.out.printf("Grace receives Ada (stage) at %dp and Linus (filmstrip) at %dp, seen %.1f s after Ada"
                + " took the stage%n", layers.stage, layers.filmstrip, layers.seconds);
        printRelaysView(graceId, Map.of(adaId, "Ada", linusId, "Linus"));
        assertThat(layers.stage).as("Ada's video on the stage comes in a layer at least as high as Linus's")
                .isGreaterThanOrEqualTo(layers.filmstrip);

        tile(grace, linusId).click();
        wait(grace).until(d -> linusId.equals(onStage(grace)));
        long linusOnStage = System.nanoTime();
        assertThat(tile(grace, linusId).getAttribute("data-pinned")).isEqualTo("true");
        assertThat(inFilmstrip(grace)).containsExactly(graceId, adaId);
        assertVideoPlays(grace, linusId);
        assertToldTheRelay(grace, linusId, adaId);
        Heights pinned = awaitHigher(grace, linusId, adaId, linusOnStage);
        System.out.printf("Linus pinned: Grace receives Linus (stage) at %dp and Ada (filmstrip) at %dp, seen %.1f s"
                + " after the pin%n", pinned.stage, pinned.filmstrip, pinned.seconds);
        printRelaysView(graceId, Map.of(adaId, "Ada", linusId, "Linus"));
        assertThat(pinned.stage).as("Linus's video on the stage comes in a layer at least as high as Ada's")
                .isGreaterThanOrEqualTo(pinned.filmstrip);

        tile(grace, linusId).click();
        wait(grace).until(d -> adaId.equals(onStage(grace)));
        assertThat(tile(grace, linusId).getAttribute("data-pinned")).isNull();

        assertThat(grace.executeScript("return localStorage.getItem('parley.meeting.layout');")).isEqualTo("speaker");
        join(grace, link, "Grace"); // loads the page afresh: a new visit
        assertThat(grace.findElement(LAYOUT_BUTTON).getAttribute("aria-pressed")).isEqualTo("true");
        waitForTiles(grace, 3);
        wait(grace).until(d -> adaId.equals(onStage(grace)));
        assertThat(inFilmstrip(grace)).hasSize(2);

        grace.findElement(LAYOUT_BUTTON).click();
        wait(grace).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=video-grid]")));
        assertThat(grace.findElement(STAGE).isDisplayed()).isFalse();
        assertThat((Long) grace.executeScript(
                "return document.querySelectorAll('[data-testid=video-grid] > [data-testid=video-tile]').length;"))
                .isEqualTo(3L);
    }

    private record Heights(int stage, int filmstrip, double seconds) {
    }

    /**
     * The page's latest tile-sizes message (recorded by the hook {@link #join} installs) gives the stage
     * participant's video a large size and the filmstrip participant's a small one, in device pixels.
     */
    private static void assertToldTheRelay(ChromeDriver browser, String stageId, String filmstripId) {
        wait(browser).until(d -> {
            Map<String, Long> told = toldHeights(browser);
            return told.getOrDefault(stageId, 0L) >= 400 && told.getOrDefault(filmstripId, 0L) > 0
                    && told.get(filmstripId) <= 130;
        });
        System.out.println("Grace's page told the relay these tile heights: " + toldHeights(browser));
    }

    /** Participant id -> the tile height in the latest tile-sizes message the page sent. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> toldHeights(ChromeDriver browser) {
        return (Map<String, Long>) browser.executeScript("""
                const out = {};
                const tracks = window.parleyMeeting.tracks;
                for (const tile of window.parleyTileSizes || []) {
                  if (tracks[tile.mid]) out[tracks[tile.mid].participantId] = tile.height;
                }
                return out;
                """);
    }

    /**
     * Waits until 15 s after the stage changed for the stage participant's received frame height to exceed the
     * filmstrip participant's; the last heights seen, whether it did or not, and the seconds since the change.
     */
    private Heights awaitHigher(ChromeDriver browser, String stageId, String filmstripId, long start) {
        Map<String, Long> heights = frameHeights(browser);
        while (height(heights, stageId) <= height(heights, filmstripId)
                && System.nanoTime() - start < LAYER_PATIENCE.toNanos()) {
            sleep(500);
            heights = frameHeights(browser);
        }
        return new Heights(height(heights, stageId), height(heights, filmstripId), (System.nanoTime() - start) / 1e9);
    }

    private static int height(Map<String, Long> heights, String participantId) {
        Long height = heights.get(participantId);
        return height == null ? 0 : height.intValue();
    }

    /** What the relay sends the subscriber: per video the layer it gets and the one allocated, and its estimates. */
    private void printRelaysView(String subscriberId, Map<String, String> names) throws Exception {
        RelaySnapshot snapshot = relay.snapshot().get(5, TimeUnit.SECONDS);
        for (RelaySnapshot.Room room : snapshot.rooms()) {
            for (RelaySnapshot.Transport transport : room.transports()) {
                if (!subscriberId.equals(transport.participantId())) {
                    continue;
                }
                StringBuilder line = new StringBuilder("The relay sends Grace:");
                for (RelaySnapshot.Reception r : transport.receiving()) {
                    line.append(String.format(" %s %s %dx%d (allocated %s);", names.getOrDefault(r.from(), r.from()),
                            r.layer(), r.width(), r.height(), r.wanted()));
                }
                line.append(String.format(" her REMB %d kbit/s, receive estimate %s", transport.remb() / 1000,
                        transport.receiveEstimate() < 0 ? "unlimited" : transport.receiveEstimate() / 1000 + " kbit/s"));
                System.out.println(line);
            }
        }
    }

    /** Each remote participant's received video frame height, from getStats. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> frameHeights(ChromeDriver browser) {
        return (Map<String, Long>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const meeting = window.parleyMeeting;
                if (!meeting || !meeting.peerConnection) { done({}); return; }
                meeting.peerConnection.getStats().then(stats => {
                  const out = {};
                  const tracks = meeting.tracks;
                  stats.forEach(r => {
                    if (r.type === 'inbound-rtp' && r.kind === 'video' && tracks[r.mid] && r.frameHeight) {
                      out[tracks[r.mid].participantId] = r.frameHeight;
                    }
                  });
                  done(out);
                }, () => done({}));
                """);
    }

    /** The tile's video element plays (it was moved, not recreated) and its time advances. */
    private static void assertVideoPlays(ChromeDriver browser, String participantId) {
        String video = "document.querySelector(\"[data-testid=video-tile][data-participant-id='" + participantId
                + "'] video\")";
        wait(browser).until(d -> Boolean.FALSE.equals(browser.executeScript("return " + video + ".paused;")));
        double before = ((Number) browser.executeScript("return " + video + ".currentTime;")).doubleValue();
        wait(browser).until(d -> ((Number) browser.executeScript("return " + video + ".currentTime;")).doubleValue()
                > before + 0.5);
    }

    private ChromeDriver browser(Path microphone) {
        ChromeDriver browser = Browsers.chromium(List.of("--use-file-for-fake-audio-capture=" + microphone));
        browsers.add(browser);
        return browser;
    }

    private static String onStage(ChromeDriver browser) {
        return (String) browser.executeScript(
                "const t = document.querySelector('[data-testid=stage] > [data-testid=video-tile]');"
                        + " return t && t.getAttribute('data-participant-id');");
    }

    @SuppressWarnings("unchecked")
    private static List<String> inFilmstrip(ChromeDriver browser) {
        return (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll('[data-testid=filmstrip] > [data-testid=video-tile]'))"
                        + ".map(t => t.getAttribute('data-participant-id'));");
    }

    private static WebElement tile(ChromeDriver browser, String participantId) {
        return browser.findElement(By.cssSelector(
                "[data-testid=video-tile][data-participant-id='" + participantId + "']"));
    }

    private static String participantId(ChromeDriver browser) {
        return wait(browser).until(d -> (String) browser.executeScript(
                "return window.parleyMeeting && window.parleyMeeting.participantId;"));
    }

    private static void waitForTiles(ChromeDriver browser, int count) {
        wait(browser).until(d -> ((Number) browser.executeScript(
                "return document.querySelectorAll('[data-testid=video-tile]').length;")).intValue() == count);
    }

    private static void join(ChromeDriver browser, String link, String name) {
        browser.get(link);
        wait(browser).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=prejoin-name]")));
        // Record the tile sizes the page tells the relay (the socket opens on joining, after this).
        browser.executeScript("""
                const send = WebSocket.prototype.send;
                WebSocket.prototype.send = function (data) {
                  try {
                    const message = JSON.parse(data);
                    if (message.type === 'tile-sizes') window.parleyTileSizes = message.tiles;
                  } catch (e) {
                    // not JSON: not ours to read
                  }
                  return send.call(this, data);
                };
                """);
        Browsers.enterMeeting(browser, name, PATIENCE);
    }

    private static WebDriverWait wait(ChromeDriver browser) {
        return new WebDriverWait(browser, PATIENCE);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
