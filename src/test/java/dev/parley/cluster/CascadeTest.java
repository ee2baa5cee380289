package dev.parley.cluster;

import static dev.parley.testing.MeetingStats.framesDecoded;
import static dev.parley.testing.MeetingStats.otherTile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JsonLines;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import dev.parley.testing.RoomForms;
import dev.parley.testing.TcpBalancer;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A meeting that spans two Parley processes (cascading): with one person a node, the first browser's media is on the
 * meeting's node, the second's on the other; the two relays are linked, and each browser decodes the other's video.
 * When the media node is killed, the second browser is back, its media on the meeting's node, within 30 s. Real
 * Chromium, real relays, PostgreSQL and Redis.
 */
@Tag("browser")
@ExtendWith({PostgresSupport.class, RedisSupport.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CascadeTest {

    private static final String ADMIN_EMAIL = "cascade-admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "cascade");

    private ParleyProcess a;
    private ParleyProcess b;
    private final List<Process> browsers = new ArrayList<>();

    @BeforeAll
    void startNodes() throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        List<String> arguments = NodeArguments.of(database, "parley-cascade-" + UUID.randomUUID(), ADMIN_EMAIL,
                ADMIN_PASSWORD, "--parley.cluster.cascade.people-per-node=1");
        a = ParleyProcess.start(arguments, LOGS.resolve("node-a.log"), START_TIMEOUT);
        b = CompletableFuture.supplyAsync(() -> {
            try {
                return ParleyProcess.start(arguments, LOGS.resolve("node-b.log"), START_TIMEOUT);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopNodes() {
        for (Process browser : browsers) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
        for (ParleyProcess node : new ParleyProcess[] {a, b}) {
            if (node != null) {
                node.kill();
            }
        }
    }

    @Test
    void browsersWithTheirMediaOnTwoNodesSeeEachOther() throws Exception {
        assertThat(new File(ClusterBrowsers.SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        WebSession admin = new WebSession(a.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long room = RoomForms.schedule(admin, RoomForms.valid("Cascade", ZoneId.of("UTC"), 1));
        String path = RoomForms.path(RoomForms.link(admin, room));

        try (TcpBalancer front = new TcpBalancer(List.of(a.port(), b.port()))) {
            // Both open the meeting at one address in front of the two nodes; their signalling reaches the meeting's
            // node (its home) whichever node it lands on. Ada comes first: her media is on the home's relay.
            JsonLines ada = browser(front.baseUrl() + path, "Ada");
            JsonNode adaIn = ada.await(s -> !s.path("participantId").asText("").isEmpty()
                    && s.path("selected").has("port"), PATIENCE);
            int homePort = adaIn.path("selected").path("port").asInt();
            assertThat(List.of(a.mediaPort(), b.mediaPort())).as("Ada's media is on a relay of the two")
                    .contains(homePort);
            ParleyProcess home = homePort == a.mediaPort() ? a : b;
            ParleyProcess other = home == a ? b : a;
            // The home carries one person already: Bob's media goes to the other node.
            JsonLines bob = browser(front.baseUrl() + path, "Bob");
            JsonNode adaSees = ada.await(s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30,
                    PATIENCE);
            JsonNode bobSees = bob.await(s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30,
                    PATIENCE);
            assertThat(bobSees.path("selected").path("port").asInt()).as("Bob's media is on the other node")
                    .isEqualTo(other.mediaPort());

            // The media node dies: Bob's page sees its media fail and resumes (and so does a page whose signalling
            // went through it); the home puts his media on its own relay.
            long killedAt = System.currentTimeMillis();
            other.kill();
            JsonNode bobBack = bob.await(s -> s.path("selected").path("port").asInt() == home.mediaPort()
                    && s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30, PATIENCE);
            ada.await(s -> s.path("t").asLong() > bobBack.path("t").asLong() && s.path("tiles").size() == 2
                    && framesDecoded(s, otherTile(s)) > 30, PATIENCE);
            assertThat(bobBack.path("participantId").asText()).as("Bob kept his place")
                    .isEqualTo(bobSees.path("participantId").asText());
            long after = bobBack.path("t").asLong() - killedAt;
            System.out.printf("The media node was killed: Bob decodes Ada again %d ms after it, on the home node%n",
                    after);
            assertThat(after).as("back within 30 s").isLessThan(30_000);
            assertThat(adaSees.path("participantId").asText()).isNotEmpty();
        }
    }

    private JsonLines browser(String link, String name) throws IOException {
        return ClusterBrowsers.join(link, name, LOGS, browsers);
    }
}
