package dev.parley.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.relay.Relay;
import dev.parley.testing.MemoryCgroup;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A few seconds of the load generator against the application under test (in this JVM, so the relay's CPU figures
 * mean nothing here): three participants in one room, each publishing audio and video; and against two nodes it
 * starts itself (skipped without PostgreSQL and Redis). It checks that packets flowed end to end, never how fast.
 */
@Tag("load")
@ParleyWebTest
class LoadGeneratorSmokeTest {

    @LocalServerPort
    int port;

    @Autowired
    Relay relay;

    @TempDir
    Path dir;

    @Test
    void everyReceiverGetsEveryPublishersAudioAndVideoThroughTheRelay() throws Exception {
        Path json = dir.resolve("run.json");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        long relayPacketsBefore = relay.totals().packetsOut();
        List<String> flows = new ArrayList<>();
        List<String> missing = new ArrayList<>();

        int status = LoadGenerator.run(new String[] {
            "--server=http://127.0.0.1:" + port,
            "--admin-email=" + ParleyWebTest.ADMIN_EMAIL,
            "--admin-password=" + ParleyWebTest.ADMIN_PASSWORD,
            "--server-pid=" + ProcessHandle.current().pid(), // this JVM: exercises /proc, the numbers are not the relay's
            "--scenario=custom", "--rooms=1", "--participants=3",
            "--video-bitrate=300k", "--warmup=1s", "--duration=2s", "--settle-timeout=20s",
            "--json=" + json
        }, new PrintStream(table, true, StandardCharsets.UTF_8), new PrintStream(progress, true, StandardCharsets.UTF_8),
                run -> {
                    List<SyntheticParticipant> everyone = run.participants();
                    for (SyntheticParticipant receiver : everyone) {
                        for (SyntheticParticipant publisher : everyone) {
                            if (receiver == publisher) {
                                continue;
                            }
                            for (String kind : List.of("audio", "video")) {
                                String flow = receiver.name() + " <- " + publisher.name() + " " + kind;
                                if (receiver.packetsFrom(publisher.participantId(), kind) > 0
                                        && receiver.probesFrom(publisher.participantId(), kind) > 0) {
                                    flows.add(flow);
                                } else {
                                    missing.add(flow);
                                }
                            }
                        }
                    }
                });

        String output = table.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output + progress.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(missing).as("flows without packets").isEmpty();
        assertThat(flows).hasSize(3 * 2 * 2);
        assertThat(relay.totals().packetsOut()).isGreaterThan(relayPacketsBefore);

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode delivery = report.path("result").path("delivery");
        assertThat(report.path("result").path("participants").asInt()).isEqualTo(3);
        assertThat(delivery.path("receivedPackets").asLong()).isPositive();
        assertThat(delivery.path("expectedPackets").asLong()).isPositive();
        assertThat(delivery.path("latency").path("samples").asLong()).isPositive();
        assertThat(delivery.path("streamsMissing").asInt()).isZero();
        JsonNode relayFigures = report.path("result").path("relay");
        assertThat(relayFigures.path("forwardedPacketsPerSecond").asDouble()).isPositive();
        assertThat(relayFigures.path("cpuMicrosPerForwardedPacket").isNumber()).isTrue();
        assertThat(relayFigures.path("heapUsedBytes").asLong()).isPositive();
        assertThat(relayFigures.path("socketDrops").isNumber()).as("the media port was learned").isTrue();
        JsonNode generatorFigures = report.path("result").path("generator");
        assertThat(generatorFigures.path("gcCollections").isIntegralNumber()).as("the generator's own collections")
                .isTrue();
        assertThat(generatorFigures.path("gcMillis").asLong()).isNotNegative();
        assertThat(report.path("problems")).isEmpty();
        assertThat(output).contains("forwarded packets/s", "added latency p50 / p99 / p99.9");
    }

    /**
     * Two Parley processes of their own on PostgreSQL and Redis, cascading after two people a node: the two
     * publishers' media is on one node, the two receivers' on the other, and both nodes' relays are measured.
     */
    @Test
    @ExtendWith({PostgresSupport.class, RedisSupport.class})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aMeetingCascadedOverTwoNodesIsMeasuredOnEachNode() throws Exception {
        Path json = dir.resolve("two-nodes.json");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<String> missing = new ArrayList<>();
        Set<Integer> mediaPorts = new HashSet<>();

        List<String> args = new ArrayList<>(List.of(
            "--from-classpath", "--nodes=2", "--people-per-node=2",
            "--server-log=" + Path.of("target", "loadgen-cluster", "parley-server.log"),
            "--scenario=custom", "--rooms=1", "--participants=4", "--publishers=2",
            "--video-bitrate=300k", "--warmup=1s", "--duration=2s", "--settle-timeout=30s",
            "--json=" + json));
        boolean limited = MemoryCgroup.isAvailable(); // Linux and root, as CI is
        if (limited) {
            args.add("--server-memory-limit=1g");
        }

        int status = LoadGenerator.run(args.toArray(String[]::new),
                new PrintStream(table, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8), run -> {
                    run.participants().forEach(p -> mediaPorts.add(p.endpoint().remoteAddress().getPort()));
                    missing.addAll(run.missingStreams());
                });

        String output = table.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output + progress.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(missing).as("flows without packets").isEmpty();
        assertThat(mediaPorts).as("the participants' media is on both nodes").hasSize(2);

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("target").path("nodes").asInt()).isEqualTo(2);
        assertThat(report.path("target").path("peoplePerNode").asInt()).isEqualTo(2);
        JsonNode delivery = report.path("result").path("delivery");
        assertThat(delivery.path("receivedPackets").asLong()).isPositive();
        assertThat(delivery.path("streamsMissing").asInt()).isZero();
        JsonNode perNode = report.path("result").path("relay").path("perNode");
        assertThat(perNode).hasSize(2);
        perNode.forEach(node -> {
            assertThat(node.path("forwardedPacketsPerSecond").asDouble()).as("node " + node.path("node"))
                    .isPositive();
            assertThat(node.path("cpuMicrosPerForwardedPacket").isNumber()).isTrue();
        });
        assertThat(report.path("problems")).isEmpty();
        assertThat(output).contains("target: 2 nodes", "Relay, summed over 2 nodes", "node 2: fwd pkt/s");
        if (limited) {
            for (String node : List.of("node 1", "node 2")) {
                // the peak is unknown on cgroup v2 before Linux 5.19
                assertThat(report.path("notes").toString()).as(node + " in its memory cgroup").containsPattern(
                        node + " ran in a memory cgroup limited to 1024 MiB: peak charged ([1-9][0-9]* MiB|unknown), "
                                + "out-of-memory kills 0");
            }
        }
    }
}
