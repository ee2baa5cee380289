package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.RoomForms;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Firefox ESR and Chromium in one meeting. Firefox offers ICE candidates only on the interface of its default route,
 * never on loopback, so this test builds a network namespace of its own: Parley, Firefox and Chromium run inside it,
 * media stays inside it (relay announced on the namespace's own address), and the test reaches Parley's HTTP over a
 * veth pair it creates. Each browser must decode the other's video, receive its audio, and send media to the relay.
 */
@Tag("browser")
class FirefoxAndChromiumMeetingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";

    private final String namespace = "parley-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private final String hostSide = "pv" + namespace.substring(7);
    private final int subnet = 100 + ThreadLocalRandom.current().nextInt(100);
    private final String relayAddress = "10.213." + subnet + ".1";
    private final List<Process> processes = new ArrayList<>();
    private final File logDir = new File("target/cross-browser");

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
        run(false, "ip", "netns", "del", namespace);
    }

    @Test
    void firefoxAndChromiumSeeAndHearEachOtherThroughTheRelayWhichRepairsTheirLosses() throws Exception {
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        assertThat(new File(System.getenv().getOrDefault("PARLEY_FIREFOX", "/usr/bin/firefox-esr")).canExecute())
                .as("Debian's firefox-esr is installed (.ci/run installs it)").isTrue();
        logDir.mkdirs();
        createNamespace();

        int httpPort = freePort();
        int mediaPort = freePort();
        Process server = inNamespace(List.of(javaBinary(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.parley.ParleyApplication",
                "--server.address=0.0.0.0", "--server.port=" + httpPort,
                "--spring.datasource.url=jdbc:h2:mem:cross-browser;DB_CLOSE_DELAY=-1",
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                "--parley.media.port=" + mediaPort, "--parley.media.bind-address=" + relayAddress,
                "--parley.media.announced-addresses=" + relayAddress,
                "--parley.media.allowed-sources=10.213." + subnet + ".0/24",
                "--logging.level.root=WARN", "--logging.level.dev.parley=INFO"), "server");
        String viaVeth = "http://" + relayAddress + ":" + httpPort;
        awaitHealth(viaVeth, server);

        WebSession admin = new WebSession(viaVeth).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("Firefox and Chromium", ZoneId.of("UTC"), 1));
        String path = RoomForms.path(RoomForms.link(admin, roomId));
        // Inside the namespace the browsers use its loopback for HTTP: a secure context, so they may use devices.
        String link = "http://127.0.0.1:" + httpPort + path;

        BlockingQueue<JsonNode> firefox = browser("firefox", link, "Firefox");
        BlockingQueue<JsonNode> chromium = browser("chromium", link, "Chromium");

        for (BlockingQueue<JsonNode> stats : List.of(firefox, chromium)) {
            JsonNode first = await(stats, s -> s.path("tiles").size() == 2 && frames(s) > 0 && audio(s) > 0);
            JsonNode later = await(stats, s -> frames(s) > frames(first) + 20 && audio(s) > audio(first));
            assertThat(later.path("inbound")).as("one remote participant decoded").hasSize(1);
            assertThat(later.path("selected").path("address").asText()).isEqualTo(relayAddress);
            assertThat(later.path("selected").path("port").asInt()).isEqualTo(mediaPort);
        }

        // Now 5 % of the datagrams to and from the media port are lost (nftables in the namespace: the kernel has no
        // netem). Both browsers NACK what they miss; the relay answers from its cache as RTX, and asks each
        // publisher for what it lost on the way in. Media keeps flowing.
        Map<String, Long> before = repair(admin);
        loseFivePercent(mediaPort);
        for (BlockingQueue<JsonNode> stats : List.of(firefox, chromium)) {
            JsonNode start = await(stats, s -> true);
            await(stats, s -> frames(s) > frames(start) + 150);
        }
        Map<String, Long> after = repair(admin);
        long requested = after.getOrDefault("requested", 0L) - before.getOrDefault("requested", 0L);
        long retransmitted = after.getOrDefault("retransmitted", 0L) - before.getOrDefault("retransmitted", 0L);
        System.out.printf("Under 5 %% loss: %d packets NACKed by the browsers, %d sent again by the relay, %s%n",
                requested, retransmitted, after);
        assertThat(requested).as("the browsers NACKed lost packets").isPositive();
        assertThat(retransmitted).as("the relay answered NACKs from its cache").isPositive();
    }

    private void loseFivePercent(int mediaPort) throws Exception {
        File rules = new File(logDir, "loss.nft");
        Files.writeString(rules.toPath(), """
                table inet parley_loss {
                  chain output {
                    type filter hook output priority 0; policy accept;
                    udp dport %1$d numgen random mod 100 < 5 drop
                    udp sport %1$d numgen random mod 100 < 5 drop
                  }
                }
                """.formatted(mediaPort));
        run(true, "ip", "netns", "exec", namespace, "nft", "-f", rules.getAbsolutePath());
    }

    private static final Pattern REPAIR = Pattern.compile(
            "^parley_relay_repair_packets_total\\{[^}]*outcome=\"(\\w+)\"[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

    /** The relay's loss-repair counters, by outcome (requested, retransmitted, missed). */
    private static Map<String, Long> repair(WebSession admin) {
        String text = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
        Map<String, Long> byOutcome = new HashMap<>();
        Matcher line = REPAIR.matcher(text);
        while (line.find()) {
            byOutcome.merge(line.group(1), (long) Double.parseDouble(line.group(2)), Long::sum);
        }
        assertThat(byOutcome).as("repair counters on /actuator/prometheus").containsKey("requested");
        return byOutcome;
    }

    private void createNamespace() throws Exception {
        run(true, "ip", "netns", "add", namespace);
        run(true, "ip", "-n", namespace, "link", "set", "lo", "up");
        run(true, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        run(true, "ip", "addr", "add", "10.213." + subnet + ".2/24", "dev", hostSide);
        run(true, "ip", "link", "set", hostSide, "up");
        run(true, "ip", "-n", namespace, "addr", "add", relayAddress + "/24", "dev", "eth0");
        run(true, "ip", "-n", namespace, "link", "set", "eth0", "up");
        run(true, "ip", "-n", namespace, "route", "add", "default", "via", "10.213." + subnet + ".2");
    }

    private Process inNamespace(List<String> command, String logName) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Process process = new ProcessBuilder(full)
                .redirectErrorStream(false)
                .redirectOutput(new File(logDir, logName + ".out"))
                .redirectError(new File(logDir, logName + ".err"))
                .start();
        processes.add(process);
        return process;
    }

    private BlockingQueue<JsonNode> browser(String kind, String link, String name) throws IOException {
        List<String> full = List.of("ip", "netns", "exec", namespace, System.getenv().getOrDefault("PARLEY_NODE", "node"),
                "join.mjs", kind, link, name, "180");
        Process process = new ProcessBuilder(full).directory(BROWSER_SCRIPTS)
                .redirectError(new File(logDir, kind + ".err")).start();
        processes.add(process);
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                // the browser script ended
            }
        }, kind + "-stats");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private JsonNode await(BlockingQueue<JsonNode> stats, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            JsonNode next = stats.poll(1, TimeUnit.SECONDS);
            if (next != null) {
                last = next;
                if (condition.test(next)) {
                    return next;
                }
            }
        }
        throw new AssertionError("the browser did not get there; last statistics: " + last + "\n" + logs());
    }

    private static double frames(JsonNode stats) {
        double total = 0;
        for (JsonNode participant : stats.path("inbound")) {
            total += participant.path("framesDecoded").asDouble();
        }
        return total;
    }

    private static double audio(JsonNode stats) {
        double total = 0;
        for (JsonNode participant : stats.path("inbound")) {
            total += participant.path("audioPackets").asDouble();
        }
        return total;
    }

    private void awaitHealth(String base, Process server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!server.isAlive()) {
                    return true;
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base
                            + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 && response.body().contains("UP");
                } catch (IOException e) {
                    return false; // not up yet
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Parley did not start in the namespace\n" + logs(), e);
        }
        if (!server.isAlive()) {
            throw new AssertionError("Parley did not start in the namespace\n" + logs());
        }
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        File[] files = logDir.listFiles();
        if (files != null) {
            for (File file : files) {
                try {
                    String content = Files.readString(file.toPath());
                    text.append("--- ").append(file.getName()).append('\n')
                            .append(content.substring(Math.max(0, content.length() - 3000))).append('\n');
                } catch (IOException e) {
                    // skip
                }
            }
        }
        return text.toString();
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
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
