package dev.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.client.WhipClient;
import dev.parley.relay.client.WhipResource;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Coturn;
import dev.parley.testing.Fixtures;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The credentials Parley hands out are ones coturn accepts: Debian's coturn runs on 127.0.0.1 with
 * {@code use-auth-secret} and the secret Parley has, and coturn's own TURN client ({@code turnutils_uclient}) allocates
 * a relay with what a participant got in its welcome and resumed, and a WHIP publisher in its answer's Link headers,
 * over UDP and TCP, and sends through it to a peer ({@code turnutils_peer}). A credential with one character changed, or
 * one that has expired, gets no allocation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class CoturnTest {

    private static final File LOGS = new File("target/coturn-test");
    private static final String SECRET = "parley-coturn-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final Pattern LINK = Pattern.compile(
            "<([^>]+)>; rel=\"ice-server\"; username=\"([^\"]+)\"; credential=\"([^\"]+)\"; credential-type=\"password\"");
    private static Coturn coturn;
    private static Process peer;
    private static int peerPort;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @DynamicPropertySource
    static void turnServer(DynamicPropertyRegistry registry) throws Exception {
        int turnPort = freePort();
        coturn = Coturn.start(null, "127.0.0.1", "127.0.0.1", turnPort, SECRET, List.of("--allow-loopback-peers"),
                LOGS);
        peerPort = freePort();
        peer = new ProcessBuilder("/usr/bin/turnutils_peer", "-L", "127.0.0.1", "-p", String.valueOf(peerPort))
                .redirectErrorStream(true).redirectOutput(new File(LOGS, "peer.log")).start();
        registry.add("parley.turn.urls", () -> "turn:127.0.0.1:" + turnPort + "?transport=udp,turn:127.0.0.1:"
                + turnPort + "?transport=tcp");
        registry.add("parley.turn.secret", () -> SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.destroy();
            peer.waitFor(10, TimeUnit.SECONDS);
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void aParticipantsCredentialsFromWelcomeAndResumedAllocateARelayOnCoturn() throws Exception {
        String slug = openRoom();
        JsonNode welcome;
        JsonNode resumed;
        try (SignalingClient ada = SignalingClient.connect(port)) {
            ada.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, "Ada"), "audio", true,
                    "video", true));
            welcome = ada.next("welcome");
        }
        // Resumed within the grace (4 s in the test profile), before the slow part.
        try (SignalingClient back = SignalingClient.connect(port)) {
            back.send(Map.of("type", "resume", "token", welcome.path("resumeToken").asText(), "slug", slug));
            resumed = back.next("resumed");
        }
        String participantId = welcome.path("participantId").asText();
        JsonNode server = welcome.path("iceServers").get(0);
        assertThat(welcome.path("iceServers")).hasSize(1);
        assertThat(server.path("urls")).extracting(JsonNode::asText).containsExactly(
                "turn:127.0.0.1:" + coturn.port() + "?transport=udp", "turn:127.0.0.1:" + coturn.port() + "?transport=tcp");
        String username = server.path("username").asText();
        String credential = server.path("credential").asText();
        assertThat(username).endsWith(":" + participantId);
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        assertThat(expiry).as("valid for 24 hours").isBetween(Instant.now().plus(Duration.ofHours(24)).minusSeconds(60)
                .getEpochSecond(), Instant.now().plus(Duration.ofHours(24)).getEpochSecond());

        assertRefused(username, credential.substring(0, 3) + (credential.charAt(3) == 'A' ? 'B' : 'A')
                + credential.substring(4));
        String expired = (Instant.now().getEpochSecond() - 60) + ":" + participantId;
        assertRefused(expired, TurnCredentials.password(SECRET.getBytes(StandardCharsets.UTF_8), expired));

        JsonNode again = resumed.path("iceServers").get(0);
        assertThat(again.path("username").asText()).endsWith(":" + participantId);
        assertAllocate(List.of(new Allocation(username, credential, false), new Allocation(username, credential, true),
                new Allocation(again.path("username").asText(), again.path("credential").asText(), false)));
    }

    @Test
    void aWhipAnswerNamesTheTurnServersInLinkHeadersWithCredentialsCoturnAccepts() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long id = host.scheduleRoom("Streamed with TURN", 1);
        String token = host.session().get("/rooms/" + id).byTestId("stream-token").attr("value");
        String slug = rooms.findById(id).orElseThrow().getSlug();
        try (WebRtcEndpoint publisher = WebRtcEndpoint.open();
             WhipResource whip = new WhipClient().post(URI.create("http://127.0.0.1:" + port + "/whip/" + slug), token,
                     publisher.createOffer(OfferOptions.whip()))) {
            assertThat(whip.statusCode()).isEqualTo(201);
            List<String> links = whip.headers().allValues("Link");
            assertThat(links).hasSize(2);
            List<String> urls = new ArrayList<>();
            List<Allocation> allocations = new ArrayList<>();
            for (String link : links) {
                Matcher m = LINK.matcher(link);
                assertThat(m.matches()).as(link).isTrue();
                urls.add(m.group(1));
                allocations.add(new Allocation(m.group(2), m.group(3), m.group(1).endsWith("tcp")));
            }
            assertAllocate(allocations);
            assertThat(urls).containsExactly("turn:127.0.0.1:" + coturn.port() + "?transport=udp",
                    "turn:127.0.0.1:" + coturn.port() + "?transport=tcp");
            whip.delete();
        }
    }

    private String openRoom() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        return rooms.findById(host.scheduleRoom("TURN", 1)).orElseThrow().getSlug();
    }

    private record Allocation(String username, String password, boolean tcp) {
    }

    /**
     * coturn's client allocates a relay with each of these credentials and its packets reach the peer and come back.
     * The clients run at once: each takes about 5 s, most of it waiting.
     */
    private static void assertAllocate(List<Allocation> allocations) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(allocations.size());
        try {
            List<Future<String>> outputs = new ArrayList<>();
            for (Allocation allocation : allocations) {
                outputs.add(clients.submit(() -> uclient(allocation.username(), allocation.password(),
                        allocation.tcp())));
            }
            for (int i = 0; i < allocations.size(); i++) {
                Allocation allocation = allocations.get(i);
                String output = outputs.get(i).get(60, TimeUnit.SECONDS);
                assertThat(output).as("turnutils_uclient over %s with %s:%n%s%n%s", allocation.tcp() ? "TCP" : "UDP",
                        allocation.username(), output, coturn.log()).contains("Total lost packets 0 (0.000000%)");
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void assertRefused(String username, String password) throws Exception {
        String output = uclient(username, password, false);
        assertThat(output).as("turnutils_uclient with %s:%n%s", username, output)
                .contains("Cannot complete Allocation").doesNotContain("Total lost packets");
    }

    private static String uclient(String username, String password, boolean tcp) throws Exception {
        List<String> command = new ArrayList<>(List.of("timeout", "30", "/usr/bin/turnutils_uclient", "-p",
                String.valueOf(coturn.port()), "-u", username, "-w", password, "-e", "127.0.0.1", "-r",
                String.valueOf(peerPort), "-n", "5", "-X"));
        if (tcp) {
            command.add("-t");
        }
        command.add("127.0.0.1");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(40, TimeUnit.SECONDS);
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
