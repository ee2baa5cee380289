package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JsonLines;
import dev.parley.testing.NetworkNamespace;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement for docs/performance.md, not a CI test ("lab"): one Chromium publishes simulcast video, another receives
 * it with its camera off, and random loss on the relay's media port (nftables in the test's namespace, both ways) is
 * set to 0, 2, 5 and 10 % for a minute each. Printed per step: the receiver's freeze seconds (Chromium's
 * totalFreezesDuration), frames decoded, and the relay's loss-repair counters. The only assertion is that video keeps
 * decoding at every step. Run: {@code mvn -B verify -Dtest=FreezeUnderLossLabTest -Dtest.excluded=jazzer}.
 */
@Tag("lab")
class FreezeUnderLossLabTest {

    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private NetworkNamespace namespace;

    @AfterEach
    void tearDown() throws Exception {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void freezeSecondsPerMinuteAtEachLossRate() throws Exception {
        namespace = NetworkNamespace.create(new File("target/freeze-lab"));
        NetworkNamespace.Parley parley = namespace.startParley("freeze", List.of(
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD),
                Duration.ofSeconds(180));
        WebSession admin = new WebSession(parley.viaVeth()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("Freeze lab", ZoneId.of("UTC"), 1));
        String link = parley.inside() + RoomForms.path(RoomForms.link(admin, roomId));

        JsonLines publisher = browser(link, "Ada", true);
        JsonLines receiver = browser(link, "Grace", false);
        String ada = publisher.await(s -> s.path("participantId").isTextual(), PATIENCE).path("participantId").asText();
        receiver.await(s -> frames(s, ada) > 30, PATIENCE);

        List<String> rows = new ArrayList<>();
        for (int percent : new int[] {0, 2, 5, 10}) {
            setLoss(parley.mediaPort(), percent);
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
        System.out.println(admin.get("/actuator/prometheus", java.util.Map.of("Accept", "text/plain")).body().lines()
                .filter(l -> l.startsWith("parley_relay_repair_packets_total")).toList());
    }

    private void setLoss(int mediaPort, int percent) throws Exception {
        File rules = new File(namespace.logDir(), "loss.nft");
        Files.writeString(rules.toPath(), """
                table inet parley_loss
                delete table inet parley_loss
                table inet parley_loss {
                  chain output {
                    type filter hook output priority 0; policy accept;
                    udp dport %1$d numgen random mod 100 < %2$d drop
                    udp sport %1$d numgen random mod 100 < %2$d drop
                  }
                }
                """.formatted(mediaPort, percent));
        namespace.exec("nft", "-f", rules.getAbsolutePath());
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
