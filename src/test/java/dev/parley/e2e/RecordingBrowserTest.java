package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.parley.accounts.Role;
import dev.parley.recording.MediaInfo;
import dev.parley.recording.MediaProbe;
import dev.parley.recording.RecordingProperties;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Recording a meeting of two real Chromium participants through the real relay: the host starts it and both see the
 * indicator; the other leaves and comes back later, and sees it on the pre-join page before entering again; the host
 * stops it; each track's file (one per microphone and camera, a new one after the rejoin, whose camera comes on a few
 * seconds in) opens with ffprobe with the codec sent, its media ends within a second of where its row says, counted
 * from the row's start as the composition places it, and decodes without errors;
 * after the meeting, the composed MP4 (H.264 and AAC) lasts the recording to within a second and decodes cleanly.
 */
@Tag("browser")
@ParleyWebTest
class RecordingBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MessageSource messages;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RecordingProperties properties;

    private static final MediaProbe PROBE = new MediaProbe(Path.of("/usr/bin/ffprobe"), Path.of("/usr/bin/ffmpeg"),
            MediaProbe.DEFAULT_PROBE_TIMEOUT);

    final List<ChromeDriver> browsers = new ArrayList<>();

    @AfterEach
    void quit() {
        Browsers.quitAll(browsers, false);
    }

    @Test
    void aMeetingIsRecordedTrackByTrackWithTheIndicatorShownToEveryoneAndLateJoiners() throws Exception {
        Fixtures.SignedIn hostAccount = fixtures.signedIn(Role.HOST);
        long roomId = hostAccount.scheduleRoom("Recorded", 1);
        String link = hostAccount.link(roomId).replace("127.0.0.1", "localhost");

        ChromeDriver host = browser();
        Browsers.signIn(host, port, hostAccount.account().getEmail(), PATIENCE);
        host.get(link);
        assertThat(host.findElements(By.cssSelector("[data-testid=prejoin-recording]"))).as("not recorded yet")
                .isEmpty();
        Browsers.enterMeeting(host, "Hostess", PATIENCE);
        ChromeDriver ada = browser();
        ada.get(link);
        Browsers.enterMeeting(ada, "Ada", PATIENCE);
        waitForRemoteVideo(host, 1);
        waitForRemoteVideo(ada, 1);

        wait(host).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=host-record]"))).click();
        for (ChromeDriver page : List.of(host, ada)) {
            wait(page).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=meeting-recording]")));
        }
        wait(ada).until(d -> toasts(d).contains(text("call.recording.startedBy", "Hostess")));
        assertThat(host.findElement(By.cssSelector("[data-testid=host-record]")).getText())
                .isEqualTo(text("call.host.stopRecording"));

        Thread.sleep(4000);

        // Ada leaves and comes back later: her tracks end and new ones begin; back on the pre-join page, she is told
        // before entering, as anyone coming later is, and sees the indicator inside.
        ada.findElement(By.cssSelector("[data-testid=leave-button]")).click();
        wait(ada).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=left]")));
        Thread.sleep(1000);
        ada.get(link);
        WebElement notice = wait(ada).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=prejoin-recording]")));
        assertThat(notice.getText()).isEqualTo(text("call.prejoin.recording"));
        // This time with her camera off, turned on a few seconds in: her camera's file has nothing until then.
        wait(ada).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-testid=prejoin-camera-toggle]"))).click();
        Browsers.enterMeeting(ada, "Ada", PATIENCE);
        wait(ada).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=meeting-recording]")));
        waitForRemoteVideo(ada, 0); // the host's: hers is off
        Thread.sleep(4000);
        wait(ada).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=camera-button]")))
                .click();
        waitForRemoteVideo(host, 1); // its own and hers again
        Thread.sleep(3000);

        wait(host).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=host-record]"))).click();
        for (ChromeDriver page : List.of(host, ada)) {
            wait(page).until(ExpectedConditions.invisibilityOfElementLocated(
                    By.cssSelector("[data-testid=meeting-recording]")));
        }
        wait(ada).until(d -> toasts(d).contains(text("call.recording.stopped")));

        String recordingId = waitForRecordingToEnd(roomId);
        List<Map<String, Object>> tracks = jdbc.queryForList("select participant_name, kind, codec, file_name, "
                + "started_ms, ended_ms, state from recording_track where recording_id = ? order by started_ms",
                recordingId);
        assertThat(tracks).extracting(t -> t.get("participant_name") + " " + t.get("kind"))
                .as("a file per track, and new ones after Ada came back")
                .containsExactlyInAnyOrder("Hostess audio", "Hostess video", "Ada audio", "Ada video", "Ada audio",
                        "Ada video");
        for (Map<String, Object> track : tracks) {
            assertThat(track.get("state")).as("%s finished cleanly", track).isEqualTo("COMPLETE");
            Path file = properties.directory().resolve(recordingId).resolve((String) track.get("file_name"));
            MediaInfo info = PROBE.probe(file);
            assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).as("%s", track)
                    .containsExactly("audio".equals(track.get("kind")) ? "opus" : "vp8");
            // The composition places a file's timestamp 0 at its row's start; its media must then end where its row
            // says it ended. (The file's first timestamp is how long after its recorder's start its media began.)
            double span = (((Number) track.get("ended_ms")).longValue()
                    - ((Number) track.get("started_ms")).longValue()) / 1000.0;
            double end = (info.startTime().toMillis() + info.duration().toMillis()) / 1000.0;
            assertThat(end).as("%s: its media ends where its row says, from its start", track)
                    .isCloseTo(span, offset(1.0));
            assertThat(PROBE.decodeErrors(file)).as("%s decodes cleanly", track).isEmpty();
        }

        // One tile per person in the composed video: Ada's files, before and after she came back (a new participant,
        // the same browser), share hers.
        assertThat(jdbc.queryForList("select distinct person_key from recording_track where recording_id = ? "
                + "and participant_name = 'Ada'", String.class, recordingId)).as("Ada's tile").hasSize(1);
        assertThat(jdbc.queryForObject("select count(distinct person_key) from recording_track where recording_id = ?",
                Integer.class, recordingId)).as("tiles").isEqualTo(2);

        // After the meeting: one composed file of the whole recording, video and mixed audio.
        Map<String, Object> recording = waitForComposed(roomId);
        assertThat(recording.get("state")).as("%s", recording).isEqualTo("READY");
        Path composed = properties.directory().resolve(recordingId).resolve("composed.mp4");
        MediaInfo info = PROBE.probe(composed);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactlyInAnyOrder("h264", "aac");
        assertThat(seconds(info)).as("the composed file lasts the recording")
                .isCloseTo(((Number) recording.get("duration_ms")).longValue() / 1000.0, offset(1.0));
        assertThat(PROBE.decodeErrors(composed)).isEmpty();
        assertThat(((Number) recording.get("composed_bytes")).longValue()).isEqualTo(Files.size(composed));
        assertThat(jdbc.queryForList("select action from audit_event where target = 'room ' || (select slug from "
                + "room where id = ?) and action like 'RECORDING_%' order by id", String.class, roomId))
                .containsExactly("RECORDING_STARTED", "RECORDING_STOPPED");
    }

    private static double seconds(MediaInfo info) {
        return info.duration().toMillis() / 1000.0;
    }

    /** The recording's row once its composition is over (READY or FAILED). */
    private Map<String, Object> waitForComposed(long roomId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> row = jdbc.queryForMap("select state, duration_ms, composed_bytes, error from recording "
                    + "where room_id = ?", roomId);
            if ("READY".equals(row.get("state")) || "FAILED".equals(row.get("state"))) {
                return row;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the composition did not finish");
    }

    /** The recording row leaves RECORDING once every file is finished; returns its id. */
    private String waitForRecordingToEnd(long roomId) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "select id, state from recording where room_id = ?", roomId);
            if (rows.size() == 1 && !"RECORDING".equals(rows.get(0).get("state"))) {
                return (String) rows.get(0).get("id");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the recording did not end");
    }

    private static void waitForRemoteVideo(ChromeDriver page, int count) {
        wait(page).until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return [...document.querySelectorAll('[data-testid=video-tile] video')]"
                        + ".filter(v => v.videoWidth > 0).length > arguments[0];", count));
    }

    private static List<String> toasts(WebDriver page) {
        return page.findElements(By.cssSelector(".toast")).stream().map(WebElement::getText).toList();
    }

    private ChromeDriver browser() {
        ChromeDriver browser = Browsers.chromium();
        browsers.add(browser);
        browser.get("http://localhost:" + port + "/lang?lang=en&return=/");
        return browser;
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, Locale.ENGLISH);
    }

    private static WebDriverWait wait(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }
}
