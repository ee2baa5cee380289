package dev.parley.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.client.PacedSender;
import dev.parley.testing.Browsers;
import dev.parley.testing.ParleyWebTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A meeting of more people sending camera and microphone than 64 KiB of a browser's answer can describe: the load
 * generator's synthetic participants publish (a trickle of media, so the machine carries them), then Chromium joins
 * and receives every one of their tracks. Its answer, over 64 KiB, is taken, and the relay sends it the audio of all
 * sixty. Before 5 December the server refused such an answer; and a subscriber's SRTP session took at most 64
 * SSRCs for what the relay sent it, so past that (about 21 people with camera and microphone) streams were dropped.
 */
@Tag("browser")
@ParleyWebTest
class ManySendersBrowserTest {

    private static final int SENDERS = 60;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    private final List<SyntheticParticipant> senders = new ArrayList<>();
    private ChromeDriver browser;
    private SharedRuntime runtime;

    @AfterEach
    void close() {
        if (browser != null) {
            Browsers.quitAll(List.of(browser), true);
        }
        senders.forEach(SyntheticParticipant::close);
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void chromiumReceivesSixtySendersWithAnAnswerOverSixtyFourKib() throws Exception {
        runtime = new SharedRuntime(1, 1, 4);
        URI base = URI.create("http://127.0.0.1:" + port);
        ParleyWeb web = new ParleyWeb(HttpClient.newHttpClient(), base, ParleyWebTest.ADMIN_EMAIL,
                ParleyWebTest.ADMIN_PASSWORD);
        String slug = web.scheduleRoom("Many senders", SENDERS + 5);
        // One audio packet and one small video frame a second each: signalling is under test, not the relay's speed.
        PacedSender.Options trickle = PacedSender.Options.defaults(Duration.ofMinutes(5)).withAudioRate(1, 40)
                .withVideoRate(2_000, 1);
        for (int i = 0; i < SENDERS; i++) {
            senders.add(SyntheticParticipant.join(runtime, web, slug, "Sender " + i, true, true, trickle));
        }

        browser = Browsers.chromium();
        browser.get(base + "/r/" + slug);
        Browsers.enterMeeting(browser, "Chromium", PATIENCE);
        JavascriptExecutor js = browser;
        // Its answer as sent, once it has one for an offer with every sender's two tracks.
        long answerBytes = new WebDriverWait(browser, PATIENCE).until(d -> {
            Number bytes = (Number) js.executeScript("""
                    const meeting = window.parleyMeeting;
                    const pc = meeting && meeting.peerConnection;
                    if (!pc || !pc.localDescription || Object.keys(meeting.tracks).length !== arguments[0]) return null;
                    const receiving = pc.getTransceivers().filter(t => t.currentDirection === 'recvonly').length;
                    if (receiving !== arguments[0]) return null;
                    const answer = {type: 'answer', version: 1, sdp: pc.localDescription.sdp};
                    return new TextEncoder().encode(JSON.stringify(answer)).length;
                    """, 2 * SENDERS);
            return bytes == null ? null : bytes.longValue();
        });
        assertThat(answerBytes).as("Chromium's answer as sent").isGreaterThan(64 * 1024);
        System.out.printf("Chromium's answer for %d received tracks: %,d bytes%n", 2 * SENDERS, answerBytes);

        // The relay sends a subscriber a track once its answer was taken: audio arrives from every sender.
        new WebDriverWait(browser, PATIENCE).until(d -> heardFrom(js).size() == SENDERS);
        for (SyntheticParticipant sender : senders) {
            assertThat(sender.signallingErrors()).as(sender.toString()).isEmpty();
        }
    }

    /** The participants Chromium has received audio packets from, as keys. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> heardFrom(JavascriptExecutor js) {
        Map<String, Object> heard = (Map<String, Object>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const meeting = window.parleyMeeting;
                meeting.peerConnection.getStats().then(stats => {
                  const from = {};
                  stats.forEach(r => {
                    const owner = meeting.tracks[r.mid];
                    if (r.type === 'inbound-rtp' && r.kind === 'audio' && owner && r.packetsReceived > 0) {
                      from[owner.participantId] = true;
                    }
                  });
                  done(from);
                }, () => done({}));
                """);
        return heard;
    }
}
