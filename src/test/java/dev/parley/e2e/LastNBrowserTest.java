package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Last-N on the meeting page, with the relay forwarding the video of one sender only (parley.media.last-n=1) and three
 * people sending: the one who speaks (Ada's fake microphone plays a voice) is the one whose video everyone receives;
 * the others' tiles show their name and avatar instead of a frozen picture, and the relay really stops sending their
 * video (the receivers' decoded frames of them stop rising).
 */
@Tag("browser")
@ParleyWebTest
// The same properties as RecordingUnavailableTest's, so the two share one application context (one start less).
@TestPropertySource(properties = {"parley.media.last-n=1", "parley.recording.gst-launch=/nonexistent/gst-launch-1.0"})
class LastNBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    final List<ChromeDriver> browsers = new ArrayList<>();

    @AfterEach
    void quit() {
        Browsers.quitAll(browsers, false);
    }

    @Test
    void onlyTheSpeakersVideoIsForwardedAndTheOthersShowTheirNames(@TempDir Path dir) throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String link = host.link(host.scheduleRoom("Last N", 1)).replace("127.0.0.1", "localhost");
        Path voice = MeetingBrowserTest.wav(dir.resolve("voice.wav"), 0.6);
        Path silence = MeetingBrowserTest.wav(dir.resolve("silence.wav"), 0);

        ChromeDriver bob = join(link, "Bob", silence);
        ChromeDriver cyd = join(link, "Cyd", silence);
        ChromeDriver ada = join(link, "Ada", voice);
        String adaId = participantId(ada);
        String bobId = participantId(bob);
        String cydId = participantId(cyd);

        for (ChromeDriver page : List.of(bob, cyd)) {
            wait(page).until(d -> "true".equals(tile(page, adaId).getAttribute("data-forwarded"))
                    && !tile(page, adaId).getAttribute("class").contains("video-off"));
        }
        // Bob's page: Cyd is not forwarded, so her tile shows her name and avatar, not video.
        wait(bob).until(d -> "false".equals(tile(bob, cydId).getAttribute("data-forwarded")));
        WebElement cydOnBob = tile(bob, cydId);
        assertThat(cydOnBob.getAttribute("class")).contains("video-off");
        assertThat(cydOnBob.getText()).contains("Cyd");
        wait(cyd).until(d -> "false".equals(tile(cyd, bobId).getAttribute("data-forwarded")));

        // The relay sends Bob none of Cyd's video, and goes on sending Ada's.
        long cydFrames = framesDecoded(bob, cydId);
        long adaFrames = framesDecoded(bob, adaId);
        Thread.sleep(3000);
        assertThat(framesDecoded(bob, cydId)).as("Cyd's video paused at the relay").isEqualTo(cydFrames);
        assertThat(framesDecoded(bob, adaId)).as("the speaker's video goes on").isGreaterThan(adaFrames + 10);
    }

    private ChromeDriver join(String link, String name, Path microphone) {
        ChromeDriver browser = Browsers.chromium(List.of("--use-file-for-fake-audio-capture=" + microphone));
        browsers.add(browser);
        browser.get(link);
        Browsers.enterMeeting(browser, name, PATIENCE);
        return browser;
    }

    private static WebElement tile(ChromeDriver page, String participantId) {
        return page.findElement(By.cssSelector("[data-testid=video-tile][data-participant-id='" + participantId + "']"));
    }

    /** Frames decoded from the participant's video on that page (0 before any arrived). */
    private static long framesDecoded(ChromeDriver page, String participantId) {
        Object frames = page.executeAsyncScript("""
                const [id, done] = arguments;
                const meeting = window.parleyMeeting;
                if (!meeting || !meeting.peerConnection) { done(0); return; }
                meeting.peerConnection.getStats().then((stats) => {
                  const tracks = meeting.tracks;
                  let frames = 0;
                  stats.forEach((r) => {
                    if (r.type === 'inbound-rtp' && r.kind === 'video' && tracks[r.mid]
                        && tracks[r.mid].participantId === id) frames += r.framesDecoded || 0;
                  });
                  done(frames);
                }, () => done(0));
                """, participantId);
        return ((Number) frames).longValue();
    }

    private static String participantId(ChromeDriver browser) {
        return (String) browser.executeScript("return window.parleyMeeting.participantId;");
    }

    private static WebDriverWait wait(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }
}
