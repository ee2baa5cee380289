package dev.parley.e2e;

import static dev.parley.testing.MeetingStats.framesDecoded;
import static dev.parley.testing.MeetingStats.otherTile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.LogTails;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.RoomForms;
import dev.parley.testing.Subnets;
import dev.parley.testing.WebSession;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reconnection with real Chromium, and real network trouble (docs/signaling.md, section 4). Two namespaces of the
 * test's own: Parley and Ada's Chromium in one, Bob's Chromium in the other, linked by a veth pair; nftables in Bob's
 * namespace cuts his traffic and only his. The test itself reaches Parley's HTTP over a second veth pair.
 *
 * <p>First Bob's TCP to and from the web port is cut for six seconds (his own segments are answered with a reset,
 * as when a network goes away): his page must show the reconnecting banner, come back as the same participant once the link is back, Ada
 * must never see him leave, and both must decode each other's video again. Then all of Bob's UDP is dropped for three
 * seconds with the socket up: video must come back by itself, without a reconnect; the time from the link's return to
 * the first new decoded frame on each side is printed (and only checked against a generous bound). Last, Bob's
 * network changes (his address is replaced by another, as from Wi-Fi to mobile): within 30 s both decode each other
 * again, Bob is the same participant, Ada never lost his tile, and the relay sees him at his new address.
 */
@Tag("browser")
class ReconnectBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private final String serverNs = "parley-rs-" + id;
    private final String bobNs = "parley-rb-" + id;
    private final String hostSide = "prs" + id;
    private final int subnet = Subnets.unused(215, 216);
    /** Parley's address towards the test (root namespace side is .2). */
    private final String testLinkAddress = "10.215." + subnet + ".1";
    /** Parley's address towards Bob, where the relay binds and which it announces; Bob is .2. */
    private final String serverAddress = "10.216." + subnet + ".1";
    private final List<Process> processes = new ArrayList<>();
    private final List<Stats> browsers = new ArrayList<>();
    private final File logDir = new File("target/reconnect-browser");

    @AfterEach
    void tearDown() throws Exception {
        for (Process process : processes) {
            if (process.isAlive()) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // already gone
                }
            }
        }
        for (Process process : processes) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        run(false, "ip", "link", "del", hostSide);
        run(false, "ip", "netns", "del", bobNs);
        run(false, "ip", "netns", "del", serverNs);
    }

    @Test
    void aCutSocketAndAShortMediaBlackoutAreBothSurvived() throws Exception {
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        logDir.mkdirs();
        createNamespaces();

        int httpPort = freePort();
        int mediaPort = freePort();
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", serverNs));
        command.addAll(ParleyProcess.javaCommand(ParleyProcess.NAMESPACE_JAVA_OPTIONS));
        command.addAll(List.of("--server.address=0.0.0.0", "--server.port=" + httpPort,
                "--spring.datasource.url=jdbc:h2:mem:reconnect;DB_CLOSE_DELAY=-1",
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                "--parley.media.port=" + mediaPort, "--parley.media.bind-address=" + serverAddress,
                "--parley.media.announced-addresses=" + serverAddress,
                "--parley.media.allowed-sources=10.216." + subnet + ".0/24,127.0.0.0/8,10.215." + subnet + ".0/24",
                "--logging.level.root=WARN", "--logging.level.dev.parley=INFO"));
        Process server = start(command, "server", Map.of());
        String viaVeth = "http://" + testLinkAddress + ":" + httpPort;
        awaitHealth(viaVeth, server);

        WebSession admin = new WebSession(viaVeth).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("Reconnecting", ZoneId.of("UTC"), 1));
        String path = RoomForms.path(RoomForms.link(admin, roomId));

        // Ada shares Parley's namespace and uses its loopback (a secure context); Bob comes over the veth pair, whose
        // plain-HTTP origin Chromium is told to treat as secure so that the page may use the fake camera.
        String bobOrigin = "http://" + serverAddress + ":" + httpPort;
        Stats ada = browser(serverNs, "http://127.0.0.1:" + httpPort + path, "Ada", Map.of());
        Stats bob = browser(bobNs, bobOrigin + path, "Bob",
                Map.of("PARLEY_CHROMIUM_ARGS", "--unsafely-treat-insecure-origin-as-secure=" + bobOrigin));

        JsonNode adaIn = ada.await("Ada decodes Bob",
                s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30);
        JsonNode bobIn = bob.await("Bob decodes Ada",
                s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30);
        String adaId = adaIn.path("participantId").asText();
        String bobId = bobIn.path("participantId").asText();
        assertThat(bobIn.path("selected").path("address").asText()).isEqualTo(serverAddress);

        // 1. Bob's signalling socket is cut for six seconds.
        long cutAt = System.currentTimeMillis();
        nft(bobNs, """
                table inet parley_cut {
                  chain output {
                    type filter hook output priority 0; policy accept;
                    tcp dport %1$d reject with tcp reset
                  }
                  chain input {
                    type filter hook input priority 0; policy accept;
                    tcp sport %1$d tcp flags & rst != rst drop
                  }
                }
                """.formatted(httpPort), "cut.nft");
        bob.await("Bob's page shows it is reconnecting", s -> s.path("reconnecting").asBoolean());
        long bannerAt = bob.last().path("t").asLong();
        sleepUntil(cutAt + 6_000);
        run(true, "ip", "netns", "exec", bobNs, "nft", "delete", "table", "inet", "parley_cut");
        long restoredAt = System.currentTimeMillis();

        JsonNode back = bob.await("Bob is back in the meeting", s -> !s.path("reconnecting").asBoolean()
                && "joined".equals(s.path("state").asText()) && s.path("t").asLong() > restoredAt);
        long resumedAt = back.path("t").asLong();
        assertThat(back.path("participantId").asText()).as("the same participant").isEqualTo(bobId);
        JsonNode bobDecodes = bob.awaitDecoding("Bob decodes Ada again", adaId, resumedAt);
        JsonNode adaDecodes = ada.awaitDecoding("Ada decodes Bob again", bobId, resumedAt);
        bob.await("Bob's frames keep rising", s -> framesDecoded(s, adaId) > framesDecoded(bobDecodes, adaId) + 20);
        ada.await("Ada's frames keep rising", s -> framesDecoded(s, bobId) > framesDecoded(adaDecodes, bobId) + 20);
        assertThat(ada.lines).as("Ada never lost Bob's tile, and never had two")
                .filteredOn(s -> s.path("t").asLong() > cutAt)
                .allSatisfy(s -> assertThat(s.path("tiles")).extracting(JsonNode::asText).containsOnlyOnce(bobId));
        System.out.printf("Socket cut for 6 s: banner %d ms after the cut; back %d ms after the link returned; "
                        + "Bob decodes Ada %d ms and Ada decodes Bob %d ms after that%n", bannerAt - cutAt,
                resumedAt - restoredAt, bobDecodes.path("t").asLong() - restoredAt,
                adaDecodes.path("t").asLong() - restoredAt);
        System.out.printf("Ada %s Bob as reconnecting meanwhile (the server learns of the cut only when its socket "
                + "fails, or when Bob's new one takes over)%n", ada.lines.stream().anyMatch(s ->
                "reconnecting".equals(s.path("connections").path(bobId).asText())) ? "saw" : "did not see");

        // 2. All of Bob's UDP is dropped for three seconds; the socket stays up.
        JsonNode before = bob.await("a fresh sample", s -> s.path("t").asLong() > System.currentTimeMillis() - 500);
        long blackoutAt = System.currentTimeMillis();
        nft(bobNs, """
                table inet parley_blackout {
                  chain output {
                    type filter hook output priority 0; policy accept;
                    meta l4proto udp drop
                  }
                  chain input {
                    type filter hook input priority 0; policy accept;
                    meta l4proto udp drop
                  }
                }
                """, "blackout.nft");
        sleepUntil(blackoutAt + 3_000);
        JsonNode bobFrozen = bob.last();
        run(true, "ip", "netns", "exec", bobNs, "nft", "delete", "table", "inet", "parley_blackout");
        long linkBack = System.currentTimeMillis();
        JsonNode bobVideo = bob.awaitDecoding("Bob decodes Ada after the blackout", adaId, linkBack);
        JsonNode adaVideo = ada.awaitDecoding("Ada decodes Bob after the blackout", bobId, linkBack);
        assertThat(framesDecoded(bobFrozen, adaId)).as("Bob's view of Ada was frozen").isLessThanOrEqualTo(
                framesDecoded(bob.lines.stream().filter(s -> s.path("t").asLong() > blackoutAt + 1500).findFirst()
                        .orElseThrow(), adaId) + 5);
        long bobRecovery = bobVideo.path("t").asLong() - linkBack;
        long adaRecovery = adaVideo.path("t").asLong() - linkBack;
        System.out.printf("UDP blackout of 3 s: video back at Bob %d ms and at Ada %d ms after the link returned "
                + "(samples every 100 ms)%n", bobRecovery, adaRecovery);
        assertThat(bobVideo.path("participantId").asText()).as("no reconnect was needed").isEqualTo(bobId);
        assertThat(bob.lines).as("no reconnecting banner for a short media loss")
                .filteredOn(s -> s.path("t").asLong() > before.path("t").asLong())
                .noneMatch(s -> s.path("reconnecting").asBoolean());
        assertThat(Math.max(bobRecovery, adaRecovery)).as("video is back soon after the link (generous bound)")
                .isLessThan(8_000);
        assertThat(ada.lines).filteredOn(s -> s.path("t").asLong() > cutAt)
                .allSatisfy(s -> assertThat(s.path("tiles")).extracting(JsonNode::asText).contains(bobId));

        // 3. Bob's network changes, as from Wi-Fi to mobile: from now on he has another address, and whatever was
        // bound to the old one (his WebSocket, his ICE candidate) is gone.
        String oldAddress = "10.216." + subnet + ".2";
        String newAddress = "10.216." + subnet + ".3";
        assertThat(liveAddresses(admin)).as("the relay sees Bob at his first address").anyMatch(
                a -> a.startsWith(oldAddress + ":"));
        long changedAt = System.currentTimeMillis();
        run(true, "ip", "netns", "exec", bobNs, "sysctl", "-q", "-w", "net.ipv4.conf.eth0.promote_secondaries=1");
        run(true, "ip", "-n", bobNs, "addr", "add", newAddress + "/24", "dev", "eth0");
        run(true, "ip", "-n", bobNs, "addr", "del", oldAddress + "/24", "dev", "eth0");
        run(true, "ip", "-n", bobNs, "route", "replace", "default", "via", serverAddress);
        // Frames still in the browsers' jitter buffers are decoded for a moment after the change; only frames from
        // packets that crossed the new path count, so decoding is awaited from a second after it and must go on.
        long drained = System.currentTimeMillis() + 1_000;
        JsonNode bobAgain = bob.awaitDecoding("Bob decodes Ada from his new address", adaId, drained);
        JsonNode adaAgain = ada.awaitDecoding("Ada decodes Bob from his new address", bobId, drained);
        bob.await("Bob's frames keep rising at his new address",
                s -> framesDecoded(s, adaId) > framesDecoded(bobAgain, adaId) + 20);
        ada.await("Ada's frames of Bob keep rising",
                s -> framesDecoded(s, bobId) > framesDecoded(adaAgain, bobId) + 20);
        long bobBack = bobAgain.path("t").asLong() - changedAt;
        long adaBack = adaAgain.path("t").asLong() - changedAt;
        System.out.printf("Bob's address changed: Bob decodes Ada again %d ms and Ada decodes Bob %d ms after it "
                + "(%s the reconnecting banner)%n", bobBack, adaBack, bob.lines.stream().anyMatch(
                        s -> s.path("t").asLong() > changedAt && s.path("reconnecting").asBoolean()) ? "after"
                        : "without");
        assertThat(bob.last().path("participantId").asText()).as("still the same participant").isEqualTo(bobId);
        assertThat(Math.max(bobBack, adaBack)).as("within the 30 s a network change may take").isLessThan(30_000);
        assertThat(ada.lines).as("Ada never lost Bob's tile, and never had two")
                .filteredOn(s -> s.path("t").asLong() > changedAt)
                .allSatisfy(s -> assertThat(s.path("tiles")).extracting(JsonNode::asText).containsOnlyOnce(bobId));
        // Admin -> Live samples the relay every 2 s.
        long until = System.nanoTime() + 15_000_000_000L;
        List<String> seen = liveAddresses(admin);
        while (seen.stream().noneMatch(a -> a.startsWith(newAddress + ":")) && System.nanoTime() < until) {
            Thread.sleep(500);
            seen = liveAddresses(admin);
        }
        assertThat(seen).as("the relay now sees Bob at his new address")
                .anyMatch(a -> a.startsWith(newAddress + ":"))
                .noneMatch(a -> a.startsWith(oldAddress + ":"));
    }

    /** The participants' media addresses as Admin -> Live shows them. */
    private static List<String> liveAddresses(WebSession admin) {
        return admin.get("/admin/live").html().select("[data-testid=live-participant] code").eachText();
    }

    /** One browser's statistics lines (every 100 ms), kept in order. */
    private final class Stats {
        final List<JsonNode> lines = new CopyOnWriteArrayList<>();
        final String name;

        Stats(String name) {
            this.name = name;
        }

        JsonNode last() {
            return lines.isEmpty() ? JSON.createObjectNode() : lines.get(lines.size() - 1);
        }

        /**
         * The first sample after {@code since} in which more of the participant's video frames were decoded than in
         * the sample before it, on the same m-sections (a new peer connection or a renegotiation starts counting
         * afresh).
         */
        JsonNode awaitDecoding(String what, String participantId, long since) throws InterruptedException {
            JsonNode[] previous = {null};
            return await(what, s -> {
                JsonNode before = previous[0];
                previous[0] = s;
                return before != null && s.path("t").asLong() > since
                        && before.path("inbound").path(participantId).path("videoMids")
                        .equals(s.path("inbound").path(participantId).path("videoMids"))
                        && framesDecoded(s, participantId) > framesDecoded(before, participantId);
            });
        }

        /** The first line from now on that meets the condition; fails after {@link #PATIENCE}. */
        JsonNode await(String what, Predicate<JsonNode> condition) throws InterruptedException {
            int from = Math.max(0, lines.size() - 1);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = from; i < lines.size(); i++) {
                    if (condition.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                from = lines.size();
                Thread.sleep(50);
            }
            StringBuilder others = new StringBuilder();
            for (Stats other : browsers) {
                if (other != this) {
                    others.append("; ").append(other.name).append("'s: ").append(other.last());
                }
            }
            throw new AssertionError(what + ": not within " + PATIENCE + "; " + name + "'s last statistics: " + last()
                    + others + "\n" + logs());
        }
    }

    private Stats browser(String namespace, String link, String name, Map<String, String> environment)
            throws IOException {
        List<String> command = List.of("ip", "netns", "exec", namespace,
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs", "chromium", link, name, "300");
        ProcessBuilder builder = new ProcessBuilder(command).directory(BROWSER_SCRIPTS)
                .redirectError(new File(logDir, name + ".err"));
        builder.environment().put("PARLEY_STATS_INTERVAL_MS", "100");
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        Stats stats = new Stats(name);
        browsers.add(stats);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    stats.lines.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                // the browser script ended
            }
        }, name + "-stats");
        reader.setDaemon(true);
        reader.start();
        return stats;
    }

    private void createNamespaces() throws Exception {
        run(true, "ip", "netns", "add", serverNs);
        run(true, "ip", "netns", "add", bobNs);
        run(true, "ip", "-n", serverNs, "link", "set", "lo", "up");
        run(true, "ip", "-n", bobNs, "link", "set", "lo", "up");
        // The test's way in to Parley.
        run(true, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "tst0", "netns", serverNs);
        run(true, "ip", "addr", "add", "10.215." + subnet + ".2/24", "dev", hostSide);
        run(true, "ip", "link", "set", hostSide, "up");
        run(true, "ip", "-n", serverNs, "addr", "add", testLinkAddress + "/24", "dev", "tst0");
        run(true, "ip", "-n", serverNs, "link", "set", "tst0", "up");
        // Bob's link, both ends in the test's namespaces.
        run(true, "ip", "-n", serverNs, "link", "add", "bob0", "type", "veth", "peer", "name", "eth0", "netns", bobNs);
        run(true, "ip", "-n", serverNs, "addr", "add", serverAddress + "/24", "dev", "bob0");
        run(true, "ip", "-n", serverNs, "link", "set", "bob0", "up");
        run(true, "ip", "-n", bobNs, "addr", "add", "10.216." + subnet + ".2/24", "dev", "eth0");
        run(true, "ip", "-n", bobNs, "link", "set", "eth0", "up");
        run(true, "ip", "-n", bobNs, "route", "add", "default", "via", serverAddress);
    }

    private void nft(String namespace, String rules, String fileName) throws Exception {
        File file = new File(logDir, fileName);
        Files.writeString(file.toPath(), rules);
        run(true, "ip", "netns", "exec", namespace, "nft", "-f", file.getAbsolutePath());
    }

    private Process start(List<String> command, String logName, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(new File(logDir, logName + ".out"))
                .redirectError(new File(logDir, logName + ".err"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitHealth(String base, Process server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Parley did not start in the namespace\n" + logs());
    }

    private String logs() {
        return LogTails.of(logDir, name -> !name.endsWith(".nft"));
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(boolean mustSucceed, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the test needs root for network "
                    + "namespaces, as CI has): " + output);
        }
    }
}
