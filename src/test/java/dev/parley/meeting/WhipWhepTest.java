package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.Role;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.Transceiver;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.client.WhipClient;
import dev.parley.relay.client.WhipException;
import dev.parley.relay.client.WhipResource;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * WHIP ingest and WHEP playback with a WebRTC client that is not a browser (Parley's own Java endpoint: ICE, DTLS,
 * SRTP over loopback): the stream appears in the meeting as a participant and a WHEP player receives its audio and
 * video through the relay; wrong tokens, unknown rooms, bad SDP and the wrong content type get their status codes.
 */
@ParleyWebTest
class WhipWhepTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    String slug;
    String token;
    String base;

    @BeforeEach
    void aRoomWithAToken() {
        WebSession host = new WebSession(port).login(fixtures.user(Role.HOST).getEmail(), Fixtures.PASSWORD);
        long id = RoomForms.schedule(host, RoomForms.valid("Streamed", ZoneId.of("UTC"), 1));
        WebSession.Page page = host.get("/rooms/" + id);
        token = page.byTestId("stream-token").attr("value");
        slug = rooms.findById(id).orElseThrow().getSlug();
        base = "http://127.0.0.1:" + port;
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        assertThat(page.byTestId("whip-url").attr("value")).isEqualTo(base + "/whip/" + slug);
    }

    @Test
    void aWhipStreamJoinsTheMeetingAndAWhepPlayerReceivesIt() throws Exception {
        try (SignalingClient watcher = SignalingClient.connect(port);
             WebRtcEndpoint publisher = WebRtcEndpoint.open();
             WebRtcEndpoint player = WebRtcEndpoint.open()) {
            watcher.send(Map.of("type", "join", "ticket", guestTicket("Watcher"), "audio", false, "video", false));
            watcher.next("welcome");

            WhipResource whip = new WhipClient().post(URI.create(base + "/whip/" + slug + "?name=OBS"), token,
                    publisher.createOffer(OfferOptions.whip()));
            assertThat(whip.statusCode()).isEqualTo(201);
            assertThat(whip.location().getPath()).startsWith("/whip/" + slug + "/");
            assertThat(whip.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/sdp");
            assertThat(whip.answer()).contains("a=ice-lite", "a=setup:passive", "a=recvonly");
            publisher.applyAnswer(whip.answer());
            publisher.connect(Duration.ofSeconds(15));

            JsonNode joined = watcher.next("participant-joined");
            String streamId = joined.path("participant").path("id").asText();
            assertThat(joined.path("participant").path("kind").asText()).isEqualTo("whip");
            assertThat(joined.path("participant").path("displayName").asText()).isEqualTo("OBS");

            PacedSender sending = publisher.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));

            WhipResource whep = new WhipClient().post(URI.create(base + "/whep/" + slug + "?participant=" + streamId),
                    token, player.createOffer(OfferOptions.whep()));
            assertThat(whep.statusCode()).isEqualTo(201);
            assertThat(whep.answer()).contains("a=sendonly", "a=ssrc:");
            player.applyAnswer(whep.answer());
            player.connect(Duration.ofSeconds(15));

            String audioMid = mid(player, "audio");
            String videoMid = mid(player, "video");
            assertThat(player.awaitPackets(audioMid, 50, Duration.ofSeconds(20))).as("audio reaches the WHEP player")
                    .isTrue();
            assertThat(player.awaitPackets(videoMid, 50, Duration.ofSeconds(20))).as("video reaches the WHEP player")
                    .isTrue();
            assertThat(player.receivedKeyframes(videoMid)).as("the player starts on a keyframe").isPositive();
            assertThat(player.latency().count()).isPositive();

            sending.stop();
            assertThat(whip.delete()).isEqualTo(200);
            assertThat(watcher.next("participant-left").path("participantId").asText()).isEqualTo(streamId);
            assertThat(whep.delete()).isEqualTo(200);
        }
    }

    @Test
    void refusalsUseTheStatusCodesTheSpecificationsName() throws Exception {
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.open()) {
            String offer = endpoint.createOffer(OfferOptions.whip());
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), "wrong-token", offer), 401);
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), null, offer), 401);
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/AAAAAAAAAAAAAAAAAAAAAA"), token, offer),
                    404);
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), token, "v=0\r\nnot sdp"),
                    400);
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), token,
                    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"), 400);
            try (WebRtcEndpoint player = WebRtcEndpoint.open()) {
                String whepOffer = player.createOffer(OfferOptions.whep());
                assertStatus(() -> new WhipClient().post(URI.create(base + "/whep/" + slug), token, whepOffer), 404);
            }

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(URI.create(base + "/whip/" + slug))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongType.statusCode()).isEqualTo(415);
            HttpResponse<String> unauthorised = http.send(HttpRequest.newBuilder(URI.create(base + "/whip/" + slug))
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorised.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
            HttpResponse<String> trickle = http.send(HttpRequest.newBuilder(URI.create(base + "/whip/" + slug + "/x"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/trickle-ice-sdpfrag")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("a=ice-ufrag:x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(trickle.statusCode()).isEqualTo(405);
            HttpResponse<String> unknownSession = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/whip/" + slug + "/nosuchsession")).header("Authorization", "Bearer " + token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknownSession.statusCode()).isEqualTo(404);
            HttpResponse<String> options = http.send(HttpRequest.newBuilder(URI.create(base + "/whip/" + slug))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(options.headers().firstValue("Accept-Post").orElseThrow()).isEqualTo("application/sdp");
        }
    }

    private interface Post {
        WhipResource run() throws Exception;
    }

    private static void assertStatus(Post post, int status) {
        assertThatThrownBy(post::run).isInstanceOfSatisfying(WhipException.class,
                e -> assertThat(e.statusCode()).as(e.body()).isEqualTo(status));
    }

    private static String mid(WebRtcEndpoint endpoint, String kind) {
        return endpoint.transceivers().stream()
                .filter(t -> t.kind().name().equalsIgnoreCase(kind) && t.receiving())
                .map(Transceiver::mid).findFirst().orElseThrow();
    }

    private String guestTicket(String name) throws Exception {
        WebSession visitor = new WebSession(port);
        WebSession.Page page = visitor.get("/r/" + slug);
        WebSession.Page response = visitor.post("/r/" + slug + "/ticket", page.csrfToken(), Map.of("displayName", name));
        return new ObjectMapper().readTree(response.body()).path("ticket").asText();
    }
}
