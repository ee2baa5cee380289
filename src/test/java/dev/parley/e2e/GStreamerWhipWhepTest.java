package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JsonLines;
import dev.parley.testing.NetworkNamespace;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GStreamer's webrtcbin, whose ICE agent is libnice, as a WHIP publisher and a WHEP player for four times the relay's
 * consent timeout (10 s here, 30 s by default: the ratio, not the length, is what the test is about, and the shorter
 * timeout keeps the run under a minute). libnice keeps its path alive with media and STUN binding
 * indications, not with the consent checks browsers send, so only its authenticated SRTP/SRTCP proves it is still
 * there: both clients must still be connected and their media still flowing at the end, and nothing may have closed
 * for want of consent. The WHEP player names nobody, so it follows the speaker (here the one stream).
 *
 * <p>libnice offers no loopback candidates, so everything runs in a {@link NetworkNamespace}. The clients are
 * src/test/scripts/gst_webrtc.py under Debian's python3 with GStreamer's bindings (Debian's simple-whip-client
 * cannot run with libnice: see the script).
 */
@Tag("browser")
class GStreamerWhipWhepTest {

    private static final String PYTHON = System.getenv().getOrDefault("PARLEY_GST_PYTHON", "/usr/bin/python3");
    private static final File SCRIPT = new File("src/test/scripts/gst_webrtc.py").getAbsoluteFile();
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RUN = CONSENT_TIMEOUT.multipliedBy(4);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern WHIP_PACKETS_IN = Pattern.compile(
            "^parley_participant_packets_total\\{(?=[^}]*direction=\"in\")(?=[^}]*kind=\"whip\")[^}]*\\} ([0-9.eE+]+)$",
            Pattern.MULTILINE);
    private static final Pattern RELAY_PACKETS_OUT = Pattern.compile(
            "^parley_relay_packets_total\\{direction=\"out\"\\} ([0-9.eE+]+)$", Pattern.MULTILINE);
    private static final Pattern RELAY_DROPS = Pattern.compile(
            "^parley_relay_drops_total\\{reason=\"(\\w+)\"\\} ([0-9.eE+]+)$", Pattern.MULTILINE);
    /**
     * Drops that are no sign of a misunderstanding between relay and client: video held back until a keyframe;
     * datagrams from a source the relay no longer (or not yet) knows, such as a client's last packets after its DELETE;
     * and SRTP or SRTCP a client sends as soon as its side of the DTLS handshake is done, before the relay has derived
     * its keys (at the start only: how many depends on how fast a loaded machine finishes the handshake, 65 once in
     * CI, so the test checks that none come once both are connected).
     */
    private static final Set<String> HARMLESS_DROPS = Set.of("keyframe_wait", "unknown_source", "not_connected");

    private NetworkNamespace namespace;

    @AfterEach
    void tearDown() throws Exception {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aGStreamerPublisherAndPlayerStayConnectedForFourConsentTimeoutsOnMediaAlone() throws Exception {
        requireGStreamer();
        namespace = NetworkNamespace.create(new File("target/gstreamer"));
        NetworkNamespace.Parley parley = namespace.startParley("gstreamer", List.of(
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                "--parley.media.consent-timeout=" + CONSENT_TIMEOUT.toSeconds() + "s"),
                Duration.ofSeconds(60));

        WebSession admin = new WebSession(parley.viaVeth()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("GStreamer", ZoneId.of("UTC"), 1));
        WebSession.Page room = admin.get("/rooms/" + roomId);
        String token = room.byTestId("stream-token").attr("value");
        // The URLs as the room's page shows them (on the namespace's address, which is local inside it too).
        String whipUrl = room.byTestId("whip-url").attr("value") + "?name=GStreamer";
        String whepUrl = room.byTestId("whep-url").attr("value");

        Process publisherProcess = client("whip", whipUrl, token);
        JsonLines publisher = JsonLines.of(publisherProcess, "publisher", namespace::logs);
        JsonNode answered = publisher.await(line -> line.has("event") || line.has("error"), STEP_TIMEOUT);
        assertThat(answered.path("event").asText()).as("the WHIP answer: %s", answered).isEqualTo("answered");
        assertThat(answered.path("answer").asText()).contains("a=ice-lite", "a=setup:passive");
        publisher.await(line -> connected(line) && line.path("packets").path("video").asLong() > 0, STEP_TIMEOUT);

        Process playerProcess = client("whep", whepUrl, token);
        JsonLines player = JsonLines.of(playerProcess, "player", namespace::logs);
        player.await(line -> connected(line) && decoded(line, "video") > 0 && decoded(line, "audio") > 0,
                STEP_TIMEOUT);

        // Both connected: from now on four consent timeouts, sampled every five seconds, each sample showing more media
        // than the last, counted by the relay (what the publisher sent it, what it sent on) and by the clients.
        Sample previous = sample(admin, publisher, player, closures());
        long beforeKeys = drops(admin).getOrDefault("not_connected", 0L);
        long end = System.nanoTime() + RUN.toNanos();
        for (int i = 0; i < RUN.dividedBy(SAMPLE_EVERY) && System.nanoTime() < end; i++) {
            Thread.sleep(Math.max(0, Math.min(SAMPLE_EVERY.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            Sample next = sample(admin, publisher, player, closures());
            assertThat(next.whipPacketsIn()).as("the relay still receives the publisher's media at %s", next)
                    .isGreaterThan(previous.whipPacketsIn());
            assertThat(next.relayPacketsOut()).as("the relay still sends media at %s", next)
                    .isGreaterThan(previous.relayPacketsOut());
            assertThat(next.sent()).as("the publisher still sends at %s", next).isGreaterThan(previous.sent());
            assertThat(next.decodedVideo()).as("the player still decodes video at %s", next)
                    .isGreaterThan(previous.decodedVideo());
            assertThat(next.decodedAudio()).as("the player still decodes audio at %s", next)
                    .isGreaterThan(previous.decodedAudio());
            previous = next;
        }
        Map<String, Long> drops = drops(admin);
        System.out.println("GStreamer WHIP and WHEP after " + RUN.toSeconds() + " s: " + previous + ", relay drops "
                + drops);
        assertThat(drops).as("the relay dropped nothing of what the clients sent it, by reason")
                .allSatisfy((reason, count) -> assertThat(HARMLESS_DROPS).contains(reason));
        assertThat(drops.getOrDefault("not_connected", 0L)).as("media before the relay had its keys (%d), none after",
                beforeKeys).isEqualTo(beforeKeys);

        Element row = admin.get("/admin/live").byTestId("live-participant");
        assertThat(row.text()).as("the admin's Live page").contains("GStreamer", "WHIP", "connected")
                .doesNotContain("connecting");
        assertThat(closures()).as("transports closed").isEmpty();

        // Both sessions still exist: each client's DELETE of its resource succeeds.
        for (Process process : List.of(playerProcess, publisherProcess)) {
            stop(process);
        }
        for (JsonLines lines : List.of(player, publisher)) {
            JsonNode deleted = lines.await(line -> line.has("event") || line.has("error"), STEP_TIMEOUT);
            assertThat(deleted.path("event").asText()).as("%s", deleted).isEqualTo("deleted");
            assertThat(deleted.path("status").asInt()).as("%s", deleted).isEqualTo(200);
        }
    }

    /** Fails, rather than skips, when GStreamer, libnice or the Python bindings are missing. */
    private static void requireGStreamer() throws Exception {
        Process check = new ProcessBuilder(PYTHON, SCRIPT.getPath(), "check").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = check.waitFor(60, TimeUnit.SECONDS);
        assertThat(ended && check.exitValue() == 0).as("GStreamer with webrtcbin and libnice, and its Python bindings "
                + "for %s, are installed (.ci/run installs them): %s", PYTHON, output).isTrue();
    }

    private Process client(String mode, String url, String token) throws IOException {
        // At most a minute past the test's own length: the clients end by themselves should the test not stop them.
        return namespace.startClient(List.of(PYTHON, SCRIPT.getPath(), mode, url, token,
                Long.toString(RUN.plusMinutes(1).toSeconds())), null, mode, true);
    }

    private static void stop(Process process) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** What the relay and the two clients have counted so far. */
    private record Sample(long whipPacketsIn, long relayPacketsOut, long sent, long decodedVideo, long decodedAudio,
                          JsonNode publisher, JsonNode player) {
    }

    private static Sample sample(WebSession admin, JsonLines publisher, JsonLines player, List<String> closures)
            throws Exception {
        assertThat(closures).as("transports closed while the clients ran").isEmpty();
        JsonNode sending = publisher.newest(STEP_TIMEOUT);
        JsonNode playing = player.newest(STEP_TIMEOUT);
        assertThat(connected(sending)).as("the publisher is connected: %s", sending).isTrue();
        assertThat(connected(playing)).as("the player is connected: %s", playing).isTrue();
        String metrics = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
        return new Sample(counter(WHIP_PACKETS_IN, metrics, "the WHIP participant's packets in"),
                counter(RELAY_PACKETS_OUT, metrics, "the relay's packets out"),
                sending.path("packets").path("audio").asLong() + sending.path("packets").path("video").asLong(),
                decoded(playing, "video"), decoded(playing, "audio"), sending, playing);
    }

    /** Server log lines of transports that closed or participants that lost their media connection, and why. */
    private List<String> closures() throws IOException {
        try (var lines = Files.lines(new File(namespace.logDir(), "server.out").toPath())) {
            return lines.filter(line -> line.contains(") closed: ") || line.contains("lost its media connection"))
                    .toList();
        }
    }

    /** The relay's non-zero drop counters, by reason. */
    private static Map<String, Long> drops(WebSession admin) {
        String metrics = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
        Map<String, Long> byReason = new TreeMap<>();
        Matcher line = RELAY_DROPS.matcher(metrics);
        while (line.find()) {
            long count = (long) Double.parseDouble(line.group(2));
            if (count > 0) {
                byReason.put(line.group(1), count);
            }
        }
        return byReason;
    }

    private static long counter(Pattern series, String metrics, String what) {
        Matcher line = series.matcher(metrics);
        assertThat(line.find()).as("%s on /actuator/prometheus (the transport exists)", what).isTrue();
        return (long) Double.parseDouble(line.group(1));
    }

    private static boolean connected(JsonNode line) {
        return "connected".equals(line.path("connection").asText());
    }

    private static long decoded(JsonNode line, String kind) {
        return line.path("decoded").path(kind).asLong();
    }
}
