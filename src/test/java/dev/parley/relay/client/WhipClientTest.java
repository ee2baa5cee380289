package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.relay.rtp.RtpPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The WHIP/WHEP HTTP helper against a JDK HTTP server on 127.0.0.1 playing Parley's endpoints. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WhipClientTest {

    private static final String TOKEN = "room-streaming-token";

    /** What the server saw: "METHOD path content-type authorization body". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private TestLiteRelay relay;
    private volatile boolean omitLocation;
    private volatile boolean sessionDeleted;
    private final WhipClient client = new WhipClient();

    @BeforeEach
    void start() throws IOException {
        relay = new TestLiteRelay();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/whip/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        relay.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        requests.add(method + " " + path + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                + exchange.getRequestHeaders().getFirst("Authorization") + " " + body.length());
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "application/json", "{\"error\":\"unauthorized\"}");
        } else if (method.equals("POST") && path.equals("/whip/room")) {
            if (!"application/sdp".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                respond(exchange, 415, "text/plain", "application/sdp only");
                return;
            }
            String answer;
            try {
                answer = relay.answer(relay.newPeer(), body, Map.of());
            } catch (Exception e) {
                respond(exchange, 400, "text/plain", e.getMessage());
                return;
            }
            if (!omitLocation) {
                exchange.getResponseHeaders().add("Location", "/whip/room/session/1");
            }
            respond(exchange, 201, "application/sdp", answer);
        } else if (method.equals("DELETE") && path.equals("/whip/room/session/1") && !sessionDeleted) {
            sessionDeleted = true;
            respond(exchange, 200, "text/plain", "");
        } else {
            respond(exchange, 404, "application/json", "{\"error\":\"not-found\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        WebRtcEndpoint.warmUp();
    }

    @Test
    void publishesThroughWhipAndDeletesTheSessionOnClose() throws Exception {
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.open(EndpointConfig.defaults())) {
            String offer = endpoint.createOffer(OfferOptions.whip());
            WhipResource session = client.post(uri("/whip/room"), TOKEN, offer);
            assertThat(session.statusCode()).isEqualTo(201);
            assertThat(session.location()).isEqualTo(uri("/whip/room/session/1"));
            assertThat(session.headers().firstValue("Content-Type")).contains("application/sdp");
            assertThat(requests).containsExactly("POST /whip/room application/sdp Bearer " + TOKEN + " "
                    + offer.getBytes(StandardCharsets.UTF_8).length);

            endpoint.applyAnswer(session.answer());
            endpoint.connect(Duration.ofSeconds(15));
            endpoint.audioStream().sendAudio(100);
            // the relay made exactly one peer for this POST; its first packet is our audio
            TestLiteRelay.Peer peer = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5))
                    .until(relay::onlyPeerWithKeys, Objects::nonNull);
            endpoint.audioStream().sendAudio(100);
            RtpPacket rtp = new RtpPacket();
            byte[] plain = peer.nextRtp(15_000);
            assertThat(plain).isNotNull();
            assertThat(rtp.wrap(plain, 0, plain.length)).isTrue();
            assertThat(rtp.ssrc()).isEqualTo(endpoint.audioStream().ssrc());

            session.close();
            session.close();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1)).isEqualTo("DELETE /whip/room/session/1 null Bearer " + TOKEN + " 0");
            assertThat(session.delete()).as("already gone").isEqualTo(404);
        }
    }

    @Test
    void refusalsSurfaceTheirStatusAndBody() {
        assertThatThrownBy(() -> client.post(uri("/whip/room"), "wrong-token", "v=0\r\n"))
                .isInstanceOfSatisfying(WhipException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.body()).contains("unauthorized");
                    assertThat(e.method()).isEqualTo("POST");
                    assertThat(e.uri()).isEqualTo(uri("/whip/room"));
                });
        assertThatThrownBy(() -> client.post(uri("/whip/room"), null, "v=0\r\n"))
                .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
        assertThat(requests.get(1)).contains(" null ");
        assertThatThrownBy(() -> client.post(uri("/whip/nowhere"), TOKEN, "v=0\r\n"))
                .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> client.post(uri("/whip/room"), TOKEN, "not sdp"))
                .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void aCreatedAnswerWithoutLocationIsAProtocolError() throws Exception {
        omitLocation = true;
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.open(EndpointConfig.defaults())) {
            String offer = endpoint.createOffer(OfferOptions.whep());
            assertThatThrownBy(() -> client.post(uri("/whip/room"), TOKEN, offer))
                    .isInstanceOfSatisfying(WhipException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(201);
                        assertThat(e.getMessage()).contains("Location");
                    });
        }
    }
}
