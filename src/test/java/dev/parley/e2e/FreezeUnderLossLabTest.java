package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JsonLines;
import dev.parley.testing.NetworkNamespace;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.File;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement for docs/performance.md, not a CI test ("lab"): one Chromium publishes simulcast video, another receives
 * it with its camera off, and random loss on the relay's media port (nftables in the test's namespace, both ways,
 * dropped where the datagrams arrive so that no sender sees a failed send) is
 * set to 0, 2, 5 and 10 % for a minute each. Printed per step: the receiver's freeze seconds (Chromium's
 * totalFreezesDuration), frames decoded, and the relay's loss-repair counters. The only assertion is that video keeps
 * decoding at every step. A second measurement puts three Chromium participants, all with camera, under 5 % loss both
 * ways for a minute, once with the relay's NACK repair and once without it (PARLEY_MEDIA_NACK_REPAIR=false), and
 * compares their freeze time. Run: {@code mvn -B verify -Dtest=FreezeUnderLossLabTest -Dtest.excluded=jazzer}
 * (one of the two: {@code -Dtest=FreezeUnderLossLabTest#threeParticipantsFreezeLessWithNackRepair}).
 */
@Tag("lab")
class FreezeUnderLossLabTest {

    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Pattern OUTCOME = Pattern.compile("outcome=\"(\\w+)\"");

    private NetworkNamespace namespace;

    @AfterEach
    void tearDown() throws Exception {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** Parley in a namespace of the test's own, its admin signed in, and the link of a room that is open now. */
    private record Lab(NetworkNamespace.Parley parley, WebSession admin, String link) {
    }

    /** A new namespace with Parley in it ({@code arguments} after the lab's own) and one room scheduled. */
    private Lab startLab(String name, List<String> arguments) throws Exception {
        namespace = NetworkNamespace.create(new File("target/" + name));
        List<String> all = new ArrayList<>(List.of(
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD));
        all.addAll(arguments);
        NetworkNamespace.Parley parley = namespace.startParley(name, all, Duration.ofSeconds(180));
        WebSession admin = new WebSession(parley.viaVeth()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("Freeze lab", ZoneId.of("UTC"), 1));
        return new Lab(parley, admin, parley.inside() + RoomForms.path(RoomForms.link(admin, roomId)));
    }

    @Test
    void freezeSecondsPerMinuteAtEachLossRate() throws Exception {
        Lab lab = startLab("freeze-lab", List.of());
        NetworkNamespace.Parley parley = lab.parley();
        WebSession admin = lab.admin();
        String link = lab.link();

        JsonLines publisher = browser(link, "Ada", true);
        JsonLines receiver = browser(link, "Grace", false);
        String ada = publisher.await(s -> s.path("participantId").isTextual(), PATIENCE).path("participantId").asText();
        receiver.await(s -> frames(s, ada) > 30, PATIENCE);

        List<String> rows = new ArrayList<>();
        for (int percent : new int[] {0, 2, 5, 10}) {
            namespace.loseAtRandom(parley.mediaPort(), percent);
            JsonNode start = receiver.newest(PATIENCE);
            Thread.sleep(STEP.toMillis());
            JsonNode end = receiver.newest(PATIENCE);
            double freeze = freeze(end, ada) - freeze(start, ada);
            double decoded = frames(end, ada) - frames(start, ada);
            rows.add(String.format("%2d %% loss: %.1f s frozen in %d s, %.0f frames decoded (%.1f/s), %dp at the end;"
                    + " tiles showing the picture instead of video: %s", percent, freeze, STEP.toSeconds(), decoded,
                    decoded / STEP.toSeconds(), end.path("inbound").path(ada).path("frameHeight").asInt(),
                    end.path("avatarTiles")));
            assertThat(decoded).as("video keeps decoding at %d %% loss", percent).isGreaterThan(STEP.toSeconds());
        }
        rows.forEach(System.out::println);
        System.out.println(admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body().lines()
                .filter(l -> l.startsWith("parley_relay_repair_packets_total")).toList());
    }

    /**
     * Three participants, all with camera, under 5 % loss both ways on the media port for {@link #STEP}: first with the
     * relay's NACK repair, then in a fresh Parley without it. Video must keep decoding for every received stream in
     * both; with repair the freeze time (summed over the six received streams) must be below the time without.
     */
    @Test
    void threeParticipantsFreezeLessWithNackRepair() throws Exception {
        Run with = threeParticipantsAtFivePercentLoss(true);
        namespace.close();
        namespace = null;
        Run without = threeParticipantsAtFivePercentLoss(false);

        System.out.println(with.report());
        System.out.println(without.report());
        System.out.printf("freeze time with / without NACK repair: %.1f / %.1f s (summed over %d streams), "
                + "ratio %.2f%n", with.freezeSeconds(), without.freezeSeconds(), with.streams().size(),
                with.freezeSeconds() / Math.max(0.001, without.freezeSeconds()));
        for (Run run : List.of(with, without)) {
            for (Stream stream : run.streams()) {
                assertThat(stream.framesDecoded()).as("video keeps decoding, %s, %s", run.label(), stream.name())
                        .isGreaterThan(STEP.toSeconds());
            }
        }
        assertThat(with.freezeSeconds()).as("freeze time with NACK repair below the time without")
                .isLessThan(without.freezeSeconds());
    }

    /** One received stream over the measurement: who sees whom, and what changed in its statistics. */
    private record Stream(String name, double freezeSeconds, double framesDecoded, int frameHeight, long nacks,
                          long keyframeRequests) {

        @Override
        public String toString() {
            return String.format("  %-11s %5.1f s frozen per minute, %5.0f frames decoded (%4.1f/s), %4dp at the end,"
                    + " %4d NACKs, %3d PLI/FIR", name, freezeSeconds * 60 / STEP.toSeconds(), framesDecoded,
                    framesDecoded / STEP.toSeconds(), frameHeight, nacks, keyframeRequests);
        }
    }

    /** One run: every received stream, and the relay's repair counters over the same time (requested, sent, missed). */
    private record Run(String label, List<Stream> streams, Map<String, Double> repair) {

        double freezeSeconds() {
            return streams.stream().mapToDouble(Stream::freezeSeconds).sum();
        }

        String report() {
            StringBuilder text = new StringBuilder(String.format("%s: %.1f s frozen in %d s over %d streams "
                    + "(%.2f s per stream per minute); relay repair packets %s%n", label, freezeSeconds(),
                    STEP.toSeconds(), streams.size(), freezeSeconds() * 60 / STEP.toSeconds() / streams.size(),
                    repair));
            streams.forEach(s -> text.append(s).append('\n'));
            return text.toString();
        }
    }

    private Run threeParticipantsAtFivePercentLoss(boolean nackRepair) throws Exception {
        String label = nackRepair ? "NACK repair on" : "NACK repair off";
        Lab lab = startLab(nackRepair ? "freeze-lab-repair" : "freeze-lab-no-repair",
                List.of("--parley.media.nack-repair=" + nackRepair));
        List<String> names = List.of("Ada", "Grace", "Linus");
        List<JsonLines> browsers = new ArrayList<>();
        for (String name : names) {
            browsers.add(browser(lab.link(), name, true));
        }
        List<String> ids = new ArrayList<>();
        for (JsonLines browser : browsers) {
            ids.add(browser.await(s -> s.path("participantId").isTextual(), PATIENCE).path("participantId").asText());
        }
        for (int r = 0; r < browsers.size(); r++) {
            for (int s = 0; s < ids.size(); s++) {
                String sender = ids.get(s);
                if (s != r) {
                    browsers.get(r).await(line -> frames(line, sender) > 30, PATIENCE);
                }
            }
        }

        namespace.loseAtRandom(lab.parley().mediaPort(), 5);
        Map<String, Double> repairBefore = repairCounters(lab.admin());
        List<JsonNode> start = new ArrayList<>();
        for (JsonLines browser : browsers) {
            start.add(browser.newest(PATIENCE));
        }
        Thread.sleep(STEP.toMillis());
        List<JsonNode> end = new ArrayList<>();
        for (JsonLines browser : browsers) {
            end.add(browser.newest(PATIENCE));
        }
        Map<String, Double> repair = new TreeMap<>(repairCounters(lab.admin()));
        repair.replaceAll((outcome, value) -> value - repairBefore.getOrDefault(outcome, 0.0));

        List<Stream> streams = new ArrayList<>();
        for (int r = 0; r < browsers.size(); r++) {
            for (int s = 0; s < ids.size(); s++) {
                if (s == r) {
                    continue;
                }
                String sender = ids.get(s);
                JsonNode from = start.get(r).path("inbound").path(sender);
                JsonNode to = end.get(r).path("inbound").path(sender);
                streams.add(new Stream(names.get(r) + "<-" + names.get(s),
                        freeze(end.get(r), sender) - freeze(start.get(r), sender),
                        frames(end.get(r), sender) - frames(start.get(r), sender), to.path("frameHeight").asInt(),
                        to.path("nackCount").asLong() - from.path("nackCount").asLong(),
                        to.path("pliCount").asLong() - from.path("pliCount").asLong()));
            }
        }
        return new Run(label, streams, repair);
    }

    /** The relay's parley_relay_repair_packets_total by outcome (requested, retransmitted, missed). */
    private static Map<String, Double> repairCounters(WebSession admin) {
        Map<String, Double> counters = new TreeMap<>();
        admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body().lines()
                .filter(l -> l.startsWith("parley_relay_repair_packets_total{")).forEach(l -> {
                    Matcher m = OUTCOME.matcher(l);
                    if (m.find()) {
                        counters.put(m.group(1), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
                    }
                });
        return counters;
    }

    private JsonLines browser(String link, String name, boolean camera) throws Exception {
        Process process = namespace.startClient(List.of("env", "PARLEY_STATS_INTERVAL_MS=1000",
                "PARLEY_VIEWPORT=1280x800", "PARLEY_CAMERA=" + (camera ? "on" : "off"),
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs", "chromium", link, name, "400"),
                BROWSER_SCRIPTS, "chromium-" + name, true);
        return JsonLines.of(process, name, namespace::logs);
    }

    private static double frames(JsonNode stats, String participantId) {
        return stats.path("inbound").path(participantId).path("framesDecoded").asDouble();
    }

    private static double freeze(JsonNode stats, String participantId) {
        return stats.path("inbound").path(participantId).path("freezeSeconds").asDouble();
    }
}
