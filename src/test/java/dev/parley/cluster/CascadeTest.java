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
 * meeting's node, the second's on the other, whichever node each page was opened on; the two relays are linked, and
 * each browser decodes the other's video. Real Chromium, real relays, PostgreSQL and Redis.
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
    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");

    private ParleyProcess a;
    private ParleyProcess b;
    private final List<Process> browsers = new ArrayList<>();

    @BeforeAll
    void startNodes() throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        List<String> arguments = List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--parley.cluster.redis-url=" + RedisSupport.url(),
                "--parley.cluster.namespace=parley-cascade-" + UUID.randomUUID(),
                "--parley.cluster.cascade.people-per-node=1",
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD);
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
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        WebSession admin = new WebSession(a.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long room = RoomForms.schedule(admin, RoomForms.valid("Cascade", ZoneId.of("UTC"), 1));
        String path = RoomForms.path(RoomForms.link(admin, room));

        // Ada opens the meeting on A; it is placed on a node (its home), where her media goes.
        JsonLines ada = browser(a.baseUrl() + path, "Ada");
        ada.await(s -> !s.path("participantId").asText("").isEmpty() && s.path("selected").has("port"), PATIENCE);
        // Bob opens it on B: his signalling goes to the home, which carries one person already and puts his media on
        // the other node.
        JsonLines bob = browser(b.baseUrl() + path, "Bob");

        JsonNode adaSees = ada.await(s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30,
                PATIENCE);
        JsonNode bobSees = bob.await(s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30,
                PATIENCE);
        List<Integer> mediaPorts = List.of(a.mediaPort(), b.mediaPort());
        int adaPort = adaSees.path("selected").path("port").asInt();
        int bobPort = bobSees.path("selected").path("port").asInt();
        assertThat(mediaPorts).as("both browsers send to one of the relays").contains(adaPort, bobPort);
        assertThat(bobPort).as("Bob's media is on the other node than Ada's").isNotEqualTo(adaPort);
    }

    private JsonLines browser(String link, String name) throws IOException {
        LOGS.toFile().mkdirs();
        Path log = LOGS.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs",
                "chromium", link, name, "180").directory(BROWSER_SCRIPTS).redirectError(log.toFile());
        builder.environment().put("PARLEY_STATS_INTERVAL_MS", "200");
        // The nodes' relays listen on loopback, which Chromium leaves out of ICE unless told.
        builder.environment().put("PARLEY_CHROMIUM_ARGS", "--allow-loopback-in-peer-connection");
        Process process = builder.start();
        browsers.add(process);
        return JsonLines.of(process, name, () -> "see " + log);
    }
}
