package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.accounts.Role;
import dev.parley.relay.Relay;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Three headless Chromium participants with fake camera and microphone in one room, all media through the relay on
 * 127.0.0.1: each decodes video and receives audio from both others, its selected candidate pair ends at the relay's
 * port; one leaves and the others lose its tile; it rejoins and is seen again.
 */
@Tag("browser")
@ParleyWebTest
class MeetingBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

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
    void threeParticipantsSeeAndHearEachOtherThroughTheRelay() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String link = host.link(host.scheduleRoom("Three-way call", 1));

        String[] names = {"Ada", "Grace", "Linus"};
        for (String name : names) {
            ChromeDriver browser = Browsers.chromium();
            browsers.add(browser);
            join(browser, link, name);
        }
        for (ChromeDriver browser : browsers) {
            waitForTiles(browser, 3);
        }

        Map<ChromeDriver, Set<String>> others = new java.util.HashMap<>();
        for (ChromeDriver browser : browsers) {
            String self = (String) js(browser).executeScript("return window.parleyMeeting.participantId;");
            Set<String> ids = new HashSet<>(tileIds(browser));
            ids.remove(self);
            assertThat(ids).as("remote tiles").hasSize(2);
            others.put(browser, ids);
        }

        for (ChromeDriver browser : browsers) {
            assertMediaFlowsFrom(browser, others.get(browser));
            Map<String, Object> selected = selectedPair(browser);
            assertThat(selected.get("address")).as("media goes to the relay's address").isEqualTo("127.0.0.1");
            assertThat(((Number) selected.get("port")).intValue()).as("media goes to the relay's UDP port; pairs: %s;"
                    + " relay drops: %s", selected.get("pairs"), relayDrops()).isEqualTo(relay.port());
            assertThat(selected.get("protocol")).as("UDP wins where it works").isEqualTo("udp");
        }

        assertTheAdminSeesTheLiveRoom(3);

        ChromeDriver leaver = browsers.get(2);
        String leaverId = (String) js(leaver).executeScript("return window.parleyMeeting.participantId;");
        Map<ChromeDriver, List<String>> leaverMids = new java.util.HashMap<>();
        Map<ChromeDriver, Integer> sections = new java.util.HashMap<>();
        for (ChromeDriver stayer : browsers.subList(0, 2)) {
            leaverMids.put(stayer, midsOf(stayer, leaverId));
            sections.put(stayer, transceivers(stayer).size());
            assertThat(leaverMids.get(stayer)).as("the leaver's audio and video").hasSize(2);
        }
        click(leaver, "leave-button");
        wait(leaver).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=left]")));
        for (ChromeDriver stayer : browsers.subList(0, 2)) {
            // Generous: on a loaded machine a stayer may be resuming its own socket meanwhile (its roster is then
            // reconciled from the resume's answer).
            new WebDriverWait(stayer, PATIENCE).until(d -> !tileIds((ChromeDriver) d).contains(leaverId));
            assertThat(tileIds(stayer)).hasSize(2);
            // The stayer answered the offer that ended the leaver's tracks: their sections are inactive.
            new WebDriverWait(stayer, PATIENCE).until(d -> transceivers(stayer).stream()
                    .filter(t -> leaverMids.get(stayer).contains(t.get(0))).allMatch(t -> "inactive".equals(t.get(1))));
        }

        click(leaver, "rejoin-button");
        for (ChromeDriver browser : browsers) {
            waitForTiles(browser, 3);
        }
        String newId = (String) js(leaver).executeScript("return window.parleyMeeting.participantId;");
        for (ChromeDriver stayer : browsers.subList(0, 2)) {
            assertThat(tileIds(stayer)).contains(newId);
            assertMediaFlowsFrom(stayer, Set.of(newId));
            // Back as a new participant, on the sections their first visit had: the description did not grow.
            assertThat(midsOf(stayer, newId)).isEqualTo(leaverMids.get(stayer));
            assertThat(transceivers(stayer)).hasSize(sections.get(stayer));
        }
        Set<String> leaverSees = new HashSet<>(tileIds(leaver));
        leaverSees.remove(newId);
        assertMediaFlowsFrom(leaver, leaverSees);
    }

    /**
     * Ada's fake microphone plays a loud voice-like signal (150 Hz harmonics in syllables), Grace's silence: the relay
     * hears Ada through the RFC 6464 levels Chromium sends, and Grace's page marks Ada's tile as the speaker (and Ada as
     * speaking in its participant list). Ada speaks before Grace joins, so Grace learns of her with the welcome. The same
     * page shows the meeting's two-person layout (no site header, Grace's own view small over Ada's), its timer, the
     * invitation to copy and the statistics panel.
     */
    @Test
    void theSpeakersTileIsMarkedOnTheOthersPage(@TempDir Path dir) throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String link = host.link(host.scheduleRoom("Who speaks", 1));
        Path voice = wav(dir.resolve("voice.wav"), 0.6);
        Path silence = wav(dir.resolve("silence.wav"), 0);

        ChromeDriver ada = Browsers.chromium(List.of("--use-file-for-fake-audio-capture=" + voice));
        browsers.add(ada);
        join(ada, link, "Ada");
        ChromeDriver grace = Browsers.chromium(List.of("--use-file-for-fake-audio-capture=" + silence));
        browsers.add(grace);
        join(grace, link, "Grace");
        waitForTiles(grace, 2);
        String adaId = (String) js(ada).executeScript("return window.parleyMeeting.participantId;");

        By adaTile = By.cssSelector("[data-testid=video-tile][data-participant-id='" + adaId + "']");
        wait(grace).until(d -> "true".equals(d.findElement(adaTile).getAttribute("data-speaking")));
        // The outline colour fades in (a 0.15 s transition), so wait for it to settle rather than read it once.
        wait(grace).until(d -> List.of("rgb(242, 182, 50)", "rgba(242, 182, 50, 1)")
                .contains(d.findElement(adaTile).getCssValue("outline-color")));
        String graceId = (String) js(grace).executeScript("return window.parleyMeeting.participantId;");
        assertThat(grace.findElement(By.cssSelector("[data-testid=video-tile][data-participant-id='" + graceId + "']"))
                .getAttribute("data-speaking")).as("the silent one is not marked").isNull();
        wait(grace).until(d -> "true".equals(d.findElement(By.cssSelector(
                "[data-testid=participant-item][data-participant-id='" + adaId + "']")).getAttribute("data-speaking")));

        // Two people: the meeting has the whole window, Ada fills the grid and Grace's own view floats small.
        assertThat(grace.findElements(By.cssSelector(".site-header")).stream().noneMatch(WebElement::isDisplayed))
                .as("no site header (and no Sign out) in the meeting").isTrue();
        WebElement own = grace.findElement(By.cssSelector("[data-testid=video-tile][data-participant-id='" + graceId
                + "']"));
        assertThat(own.getAttribute("class")).contains("is-pip");
        var adaSize = grace.findElement(adaTile).getSize();
        assertThat(adaSize.width).as("Ada's tile against Grace's own %s", own.getSize())
                .isGreaterThan(2 * own.getSize().width);

        // The timer runs; the invitation names the room and its link.
        WebElement timer = grace.findElement(By.cssSelector("[data-testid=meeting-timer]"));
        String early = timer.getText();
        assertThat(early).matches("\\d+:\\d\\d");
        wait(grace).until(d -> !timer.getText().equals(early));
        grace.findElement(By.cssSelector("[data-testid=copy-invitation]")).click();
        WebElement invitation = wait(grace).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=invitation-text]")));
        assertThat(invitation.getAttribute("value")).contains("“Who speaks”").contains(link);
        wait(grace).until(d -> !d.findElement(By.cssSelector("[data-testid=invitation-status]")).getText().isEmpty());
        grace.findElement(By.cssSelector("[data-testid=invitation-close]")).click();

        // The statistics panel: what Grace receives of Ada and what she sends, refreshed while it is open.
        grace.findElement(By.cssSelector("[data-testid=stats-button]")).click();
        By adaVideo = By.cssSelector("[data-testid=stats-row][data-participant-id='" + adaId
                + "'][data-media=video][data-kbps]");
        wait(grace).until(d -> d.findElements(adaVideo).stream()
                .anyMatch(row -> Integer.parseInt(row.getAttribute("data-kbps")) > 0));
        WebElement row = grace.findElement(adaVideo);
        assertThat(row.findElement(By.cssSelector("[data-field=codec]")).getText()).isEqualTo("VP8");
        assertThat(row.findElement(By.cssSelector("[data-field=resolution]")).getText()).matches("\\d+x\\d+.*");
        assertThat(grace.findElements(By.cssSelector("[data-testid=stats-row][data-participant-id='" + graceId
                + "'][data-media=audio]"))).as("what Grace sends").hasSize(1);
        assertThat(grace.findElement(By.cssSelector("[data-testid=stats-summary]")).getText()).contains("ms");
        grace.findElement(By.cssSelector("[data-testid=stats-close]")).click();
    }

    /** Ten seconds of 48 kHz mono: a voice-like tone in four syllables a second at this peak amplitude (0: silence). */
    static Path wav(Path file, double amplitude) throws Exception {
        int rate = 48_000;
        byte[] pcm = new byte[rate * 10 * 2];
        for (int i = 0; i < rate * 10; i++) {
            double t = (double) i / rate;
            double pitch = 150 + 20 * Math.sin(2 * Math.PI * 0.5 * t);
            double voice = 0;
            for (int h = 1; h <= 8; h++) {
                voice += Math.sin(2 * Math.PI * pitch * h * t) / h;
            }
            double syllable = Math.max(0, Math.sin(2 * Math.PI * 2 * t));
            short sample = (short) (amplitude * 0.5 * voice * syllable * Short.MAX_VALUE);
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, rate * 10L)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** The admin dashboard's live view and the Prometheus metrics show the people and their traffic. */
    private void assertTheAdminSeesTheLiveRoom(int people) {
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        WebSession.Page live = await("every participant's bitrate in is above 0").atMost(Duration.ofSeconds(20))
                .pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.get("/admin/live"), page -> page.html().select("[data-testid=live-participant]")
                        .stream().noneMatch(row -> row.selectFirst("[data-testid=live-in]").text()
                                .startsWith("0 kbit/s")));
        var rows = live.html().select("[data-testid=live-participant]");
        assertThat(rows).hasSize(people);
        for (var row : rows) {
            assertThat(row.text()).contains("connected").contains("opus").contains("VP8");
            assertThat(row.selectFirst("[data-testid=live-in]").text()).doesNotStartWith("0 kbit/s");
            assertThat(row.selectFirst("[data-testid=live-out]").text()).doesNotStartWith("0 kbit/s");
        }
        // Chromium negotiates transport-wide congestion control for what it receives and reports on it: the relay's
        // estimate for every participant comes from that feedback, not from REMB.
        WebSession.Page estimated = await("every participant's estimate comes from transport-wide feedback")
                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                .until(() -> admin.get("/admin/live"), page -> page.html().select("[data-testid=live-participant]")
                        .stream().allMatch(row -> row.selectFirst("[data-testid=live-estimate]") != null));
        for (var row : estimated.html().select("[data-testid=live-participant]")) {
            var estimate = row.selectFirst("[data-testid=live-estimate]");
            assertThat(estimate.attr("data-source")).isEqualTo("transport-cc");
            assertThat(Long.parseLong(estimate.attr("data-bitrate"))).isPositive();
        }
        String metrics = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
        assertThat(metrics).contains("parley_relay_packets_total{direction=\"in\"}")
                .contains("parley_participant_bytes_total").contains("parley_meeting_participants " + people + ".0");
    }

    private void join(ChromeDriver browser, String link, String name) {
        browser.get(link);
        Browsers.enterMeeting(browser, name, PATIENCE);
    }

    /** framesDecoded rises for every given participant's video, and audio packets and samples arrive. */
    private void assertMediaFlowsFrom(ChromeDriver browser, Set<String> participantIds) {
        wait(browser).until(d -> {
            Map<String, Map<String, Object>> stats = inbound(browser);
            return participantIds.stream().allMatch(id -> stats.containsKey(id)
                    && number(stats.get(id), "framesDecoded") > 0 && number(stats.get(id), "audioPackets") > 0);
        });
        Map<String, Map<String, Object>> first = inbound(browser);
        sleep(3000);
        Map<String, Map<String, Object>> second = inbound(browser);
        for (String id : participantIds) {
            assertThat(number(second.get(id), "framesDecoded")).as("video frames decoded from %s", id)
                    .isGreaterThan(number(first.get(id), "framesDecoded"));
            assertThat(number(second.get(id), "audioPackets")).as("audio packets from %s", id)
                    .isGreaterThan(number(first.get(id), "audioPackets"));
            assertThat(number(second.get(id), "audioSamples")).as("audio samples decoded from %s", id)
                    .isGreaterThan(number(first.get(id), "audioSamples"));
        }
    }

    /** The mids the page's track table gives this participant, sorted. */
    @SuppressWarnings("unchecked")
    private static List<String> midsOf(ChromeDriver browser, String participantId) {
        return (List<String>) js(browser).executeScript("""
                return Object.entries(window.parleyMeeting.tracks)
                  .filter(([mid, owner]) => owner.participantId === arguments[0]).map(([mid]) => mid).sort();
                """, participantId);
    }

    /** The peer connection's transceivers, each [mid, currentDirection], in order. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> transceivers(ChromeDriver browser) {
        return (List<List<String>>) js(browser).executeScript("""
                return window.parleyMeeting.peerConnection.getTransceivers().map(t => [t.mid, t.currentDirection]);
                """);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> inbound(ChromeDriver browser) {
        return (Map<String, Map<String, Object>>) js(browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const meeting = window.parleyMeeting;
                if (!meeting || !meeting.peerConnection) { done({}); return; }
                meeting.peerConnection.getStats().then(stats => {
                  const out = {};
                  const tracks = meeting.tracks;
                  stats.forEach(r => {
                    if (r.type !== 'inbound-rtp' || !tracks[r.mid]) return;
                    const id = tracks[r.mid].participantId;
                    const e = out[id] || (out[id] = {framesDecoded: 0, audioPackets: 0, audioSamples: 0});
                    if (r.kind === 'video') e.framesDecoded += r.framesDecoded || 0;
                    if (r.kind === 'audio') {
                      e.audioPackets += r.packetsReceived || 0;
                      e.audioSamples += r.totalSamplesReceived || 0;
                    }
                  });
                  done(out);
                }, () => done({}));
                """);
    }

    private Map<String, Long> relayDrops() {
        try {
            return relay.snapshot().get(5, java.util.concurrent.TimeUnit.SECONDS).drops();
        } catch (Exception e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> selectedPair(ChromeDriver browser) {
        return (Map<String, Object>) js(browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.parleyMeeting.peerConnection.getStats().then(stats => {
                  let pairId = null;
                  stats.forEach(r => { if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId; });
                  const pair = pairId && stats.get(pairId);
                  const remote = pair && stats.get(pair.remoteCandidateId);
                  const pairs = [];
                  stats.forEach(r => {
                    if (r.type !== 'candidate-pair') return;
                    const l = stats.get(r.localCandidateId), rc = stats.get(r.remoteCandidateId);
                    pairs.push([l && l.protocol, l && l.port, rc && rc.protocol, rc && rc.port, r.state, r.nominated,
                      r.requestsSent, r.responsesReceived].join(' '));
                  });
                  done(remote ? {address: remote.address || remote.ip, port: remote.port, protocol: remote.protocol,
                    pairs: pairs.join('; ')} : {});
                });
                """);
    }

    @SuppressWarnings("unchecked")
    private static List<String> tileIds(ChromeDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('[data-testid=video-tile]'))"
                        + ".map(t => t.getAttribute('data-participant-id'));");
    }

    private void waitForTiles(ChromeDriver browser, int count) {
        wait(browser).until(d -> tileIds((ChromeDriver) d).size() == count);
    }

    private static double number(Map<String, Object> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static void click(ChromeDriver browser, String testId) {
        wait(browser).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=" + testId + "]")))
                .click();
    }

    private static WebDriverWait wait(ChromeDriver browser) {
        return new WebDriverWait(browser, PATIENCE);
    }

    private static JavascriptExecutor js(ChromeDriver browser) {
        return browser;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
