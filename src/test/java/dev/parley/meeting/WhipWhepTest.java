package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.relay.client.InboundStream;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.OutboundStream;
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
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

    long roomId;
    String slug;
    String token;
    String base;
    WebSession host;

    @BeforeEach
    void aRoomWithAToken() {
        Fixtures.SignedIn signedIn = fixtures.signedIn(Role.HOST);
        host = signedIn.session();
        long id = signedIn.scheduleRoom("Streamed", 1);
        roomId = id;
        WebSession.Page page = host.get("/rooms/" + id);
        token = page.byTestId("stream-token").attr("value");
        slug = rooms.findById(id).orElseThrow().getSlug();
        base = "http://127.0.0.1:" + port;
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        assertThat(page.byTestId("whip-url").attr("value")).isEqualTo(base + "/whip/" + slug);
    }

    @Test
    void aStreamThatLeavesWithoutADeleteIsForgotten() throws Exception {
        try (SignalingClient watcher = SignalingClient.connect(port);
             WebRtcEndpoint publisher = WebRtcEndpoint.open()) {
            joinWithoutMedia(watcher, "Watcher");
            WhipResource whip = publishAndConnect(publisher);
            watcher.next("participant-joined");

            // The host cancels the room: the meeting ends for everyone, the stream included, with no DELETE.
            WebSession.Page page = host.get("/rooms/" + roomId);
            host.post("/rooms/" + roomId + "/cancel", page.csrfToken(), Map.of());
            assertThat(watcher.next("bye").path("reason").asText()).isEqualTo("room-closed");

            assertThat(whip.delete()).as("the session went with the stream; its resource is gone").isEqualTo(404);
        }
    }

    @Test
    void aWhipStreamJoinsTheMeetingAndAWhepPlayerReceivesIt() throws Exception {
        try (SignalingClient watcher = SignalingClient.connect(port);
             WebRtcEndpoint publisher = WebRtcEndpoint.open();
             WebRtcEndpoint player = WebRtcEndpoint.open()) {
            watcher.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, "Watcher"),
                    "audio", false, "video", false));
            watcher.next("welcome");

            WhipResource whip = new WhipClient().post(URI.create(base + "/whip/" + slug + "?name=OBS"), token,
                    publisher.createOffer(OfferOptions.whip()));
            assertThat(whip.statusCode()).isEqualTo(201);
            assertThat(whip.location().getPath()).startsWith("/whip/" + slug + "/");
            assertThat(whip.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/sdp");
            assertThat(whip.answer()).contains("a=ice-lite", "a=setup:passive", "a=recvonly");
            assertThat(whip.headers().firstValue("Set-Cookie")).as("stateless").isEmpty();
            publisher.applyAnswer(whip.answer());
            publisher.connect(Duration.ofSeconds(15));

            JsonNode joined = watcher.next("participant-joined");
            String streamId = joined.path("participant").path("id").asText();
            assertThat(joined.path("participant").path("kind").asText()).isEqualTo("whip");
            assertThat(joined.path("participant").path("displayName").asText()).isEqualTo("OBS");
            assertThat(host.get("/rooms/" + roomId).html().select("[data-testid=whep-person-name]").eachText())
                    .as("the host sees whom a player can play, by name").containsExactly("OBS", "Watcher");

            PacedSender sending = publisher.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));

            // A player names whom it plays by the name a streamer sees (any case), or by participant id.
            WhipResource whep = new WhipClient().post(URI.create(base + "/whep/" + slug + "?participant=obs"),
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
            assertThat(player.receivedKeyframes(videoMid))
                    .as(() -> "the player starts on a keyframe; " + player.counters()).isPositive();
            assertThat(player.latency().count()).isPositive();

            // Keyframe requests from the player reach the publisher through the relay, as a FIR naming the relay's SSRC
            // for the player (the relay maps it back to the publisher's stream) and as a PLI. The relay merges requests
            // within 300 ms, so each is repeated (with a new FIR sequence number) until one gets through.
            long videoSsrc = player.inboundStreams(videoMid).get(0).ssrc() & 0xFFFFFFFFL;
            OutboundStream published = publisher.videoStream();
            long beforeFir = published.keyframeRequests();
            AtomicInteger firSequence = new AtomicInteger();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    player.requestFullIntra(videoSsrc, firSequence.incrementAndGet())
                            && published.keyframeRequests() > beforeFir);
            long beforePli = published.keyframeRequests();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    player.requestKeyframe(videoSsrc) && published.keyframeRequests() > beforePli);

            try (SignalingClient twin = SignalingClient.connect(port)) {
                twin.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, "Watcher"),
                        "audio", false, "video", false));
                twin.next("welcome");
                try (WebRtcEndpoint another = WebRtcEndpoint.open()) {
                    String offer = another.createOffer(OfferOptions.whep());
                    assertStatus(() -> new WhipClient().post(URI.create(base + "/whep/" + slug + "?participant=watcher"),
                            token, offer), 409);
                    assertStatus(() -> new WhipClient().post(URI.create(base + "/whep/" + slug + "?participant=Nobody"),
                            token, offer), 404);
                }
            }

            sending.stop();
            assertThat(whip.delete()).isEqualTo(200);
            assertThat(watcher.next("participant-left").path("participantId").asText()).isEqualTo(streamId);
            assertThat(whep.delete()).isEqualTo(200);
        }
    }

    @Test
    void aStreamThatSpeaksBecomesTheActiveSpeakerAndSilenceClearsIt() throws Exception {
        try (SignalingClient watcher = SignalingClient.connect(port);
             WebRtcEndpoint publisher = WebRtcEndpoint.open()) {
            joinWithoutMedia(watcher, "Watcher");
            WhipResource whip = publishAndConnect(publisher);
            String streamId = watcher.next("participant-joined").path("participant").path("id").asText();

            // Audio at -20 dBov in the RFC 6464 extension: the relay names the stream the room's speaker.
            publisher.audioStream().setAudioLevel(20);
            PacedSender sending = publisher.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));
            JsonNode speaking = watcher.next("active-speaker", Duration.ofSeconds(10));
            assertThat(speaking.path("participantId").asText()).isEqualTo(streamId);
            try (SignalingClient latecomer = SignalingClient.connect(port)) {
                joinWithoutMedia(latecomer, "Late");
                assertThat(latecomer.next("active-speaker").path("participantId").asText())
                        .as("someone who joins while the stream speaks hears of it after the welcome").isEqualTo(streamId);
            }

            // Silence (127: -127 dBov): after a while nobody speaks, and the watcher hears that too.
            publisher.audioStream().setAudioLevel(127);
            JsonNode silent = watcher.next("active-speaker", Duration.ofSeconds(10));
            assertThat(silent.has("participantId")).isTrue();
            assertThat(silent.path("participantId").isNull()).as("nobody speaks: %s", silent).isTrue();
            sending.stop();
            assertThat(whip.delete()).isEqualTo(200);
        }
    }

    @Test
    void aWhepPlayerThatNamesNobodyFollowsTheSpeaker() throws Exception {
        try (SignalingClient watcher = SignalingClient.connect(port);
             WebRtcEndpoint ada = WebRtcEndpoint.open();
             WebRtcEndpoint grace = WebRtcEndpoint.open();
             WebRtcEndpoint player = WebRtcEndpoint.open()) {
            joinWithoutMedia(watcher, "Watcher");
            WhipResource adaStream = publishAndConnect(ada);
            String adaId = watcher.next("participant-joined").path("participant").path("id").asText();
            WhipResource graceStream = publishAndConnect(grace);
            String graceId = watcher.next("participant-joined").path("participant").path("id").asText();
            // The room's page lists who is in the meeting, each with a WHEP URL that plays them; two streams of one
            // name are told apart by id.
            WebSession.Page page = host.get("/rooms/" + roomId);
            assertThat(page.html().select("[data-testid=whep-person-url]").eachAttr("value")).containsExactlyInAnyOrder(
                    base + "/whep/" + slug + "?participant=" + adaId,
                    base + "/whep/" + slug + "?participant=" + graceId,
                    base + "/whep/" + slug + "?participant=Watcher");
            assertThat(page.byTestId("whep-url").attr("value")).as("the room's WHEP URL follows the speaker")
                    .isEqualTo(base + "/whep/" + slug);
            ada.audioStream().setAudioLevel(20);
            grace.audioStream().setAudioLevel(127);
            PacedSender adaSending = ada.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(40)));
            PacedSender graceSending = grace.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(40)));
            assertThat(watcher.next("active-speaker", Duration.ofSeconds(10)).path("participantId").asText())
                    .isEqualTo(adaId);

            WhipResource whep = new WhipClient().post(URI.create(base + "/whep/" + slug), token,
                    player.createOffer(OfferOptions.whep()));
            assertThat(whep.statusCode()).isEqualTo(201);
            player.applyAnswer(whep.answer());
            player.connect(Duration.ofSeconds(15));
            String audioMid = mid(player, "audio");
            String videoMid = mid(player, "video");
            assertThat(player.awaitPackets(videoMid, 50, Duration.ofSeconds(20))).as("ada's video plays").isTrue();
            long videoSsrc = player.inboundStreams(videoMid).get(0).ssrc();
            long keyframesOfAda = player.receivedKeyframes(videoMid);

            ada.audioStream().setAudioLevel(127);
            grace.audioStream().setAudioLevel(20);
            assertThat(watcher.next("active-speaker", Duration.ofSeconds(10)).path("participantId").asText())
                    .isEqualTo(graceId);
            // Ada stops sending altogether: whatever reaches the player from now on is Grace's.
            adaSending.stop();
            long videoBefore = player.receivedPackets(videoMid);
            long audioBefore = player.receivedPackets(audioMid);
            assertThat(player.awaitPackets(videoMid, videoBefore + 50, Duration.ofSeconds(10)))
                    .as("grace's video reaches the player that followed her").isTrue();
            assertThat(player.awaitPackets(audioMid, audioBefore + 50, Duration.ofSeconds(10)))
                    .as("and her voice").isTrue();
            assertThat(player.receivedKeyframes(videoMid)).as("her stream starts on a key frame")
                    .isGreaterThan(keyframesOfAda);
            assertThat(player.inboundStreams(videoMid)).as("under the SSRC the answer announced")
                    .extracting(InboundStream::ssrc).containsExactly((int) videoSsrc);

            graceSending.stop();
            assertThat(whep.delete()).isEqualTo(200);
            assertThat(adaStream.delete()).isEqualTo(200);
            assertThat(graceStream.delete()).isEqualTo(200);
        }
    }

    /** A signalling client enters the room, sending nothing, and is welcomed. */
    private void joinWithoutMedia(SignalingClient client, String name) {
        client.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, name),
                "audio", false, "video", false));
        client.next("welcome");
    }

    /** The endpoint publishes into the room by WHIP and connects. */
    private WhipResource publishAndConnect(WebRtcEndpoint publisher) throws Exception {
        WhipResource whip = new WhipClient().post(URI.create(base + "/whip/" + slug), token,
                publisher.createOffer(OfferOptions.whip()));
        assertThat(whip.statusCode()).isEqualTo(201);
        publisher.applyAnswer(whip.answer());
        publisher.connect(Duration.ofSeconds(15));
        return whip;
    }

    @Test
    void refusalsUseTheStatusCodesTheSpecificationsName() throws Exception {
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.open()) {
            String offer = endpoint.createOffer(OfferOptions.whip());
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), "wrong-token", offer), 401);
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), null, offer), 401);
            String otherToken = otherRoomsToken();
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whip/" + slug), otherToken, offer), 401);
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whep/" + slug), otherToken, offer), 401);
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
            assertThat(unauthorised.statusCode()).isEqualTo(401);
            assertThat(unauthorised.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer realm=\"parley\"");
            assertThat(unauthorised.body()).isEqualTo("A valid bearer token for this room is required.\n");
            // Stateless: no session is made for a WHIP/WHEP request, and a signed-in browser's cookies count for nothing.
            assertThat(unauthorised.headers().firstValue("Set-Cookie")).isEmpty();
            WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
            assertThat(admin.request("POST", "/whip/" + slug, Map.of("Content-Type", "application/sdp")).status())
                    .isEqualTo(401);
            HttpResponse<String> unknownRoom = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/whep/AAAAAAAAAAAAAAAAAAAAAA")).header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString(offer)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknownRoom.statusCode()).as("an unknown room, whatever the token").isEqualTo(404);
            assertThat(unknownRoom.body()).isEqualTo("There is no such room.\n");
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

    @Test
    void aWhepPlayerNamingSomeoneAtUnreasonableLengthIsToldTheLimit() throws Exception {
        try (SignalingClient watcher = SignalingClient.connect(port); WebRtcEndpoint player = WebRtcEndpoint.open()) {
            joinWithoutMedia(watcher, "Watcher");
            String offer = player.createOffer(OfferOptions.whep());
            for (int length : new int[] {StreamingController.MAX_PARTICIPANT_CHARS + 1, 5_000}) {
                HttpResponse<String> refused = whep("?participant=" + "w".repeat(length), offer);
                assertThat(refused.statusCode()).as("%d characters", length).isEqualTo(400);
                assertThat(refused.body()).as("%d characters", length).isEqualTo(
                        "The participant to play is named by id or display name, in at most 200 characters.\n");
                assertThat(refused.headers().firstValue("Connection")).as("the offer was left unread").hasValue("close");
            }
            // A request line over Tomcat's 8 KB header limit never reaches Parley: Tomcat's own plain 400.
            HttpResponse<String> huge = whep("?participant=" + "w".repeat(10_000), offer);
            assertThat(huge.statusCode()).isEqualTo(400);
            assertThat(huge.body()).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("java.");
            assertStatus(() -> new WhipClient().post(URI.create(base + "/whep/" + slug + "?participant="
                    + "w".repeat(StreamingController.MAX_PARTICIPANT_CHARS)), token, offer), 404);
        }
    }

    @Test
    void bodiesAreReadOnlyAfterTheTokenAndOnlyUpToTheSdpLimit() throws Exception {
        // The server must answer while the body is still coming: a 150 MB upload is announced (or chunked without
        // end), only a small part of it is sent, and the status line must arrive without the rest.
        long huge = 150L * 1024 * 1024;
        RawResponse noToken = sendPartOfABody("POST", "/whip/" + slug, null, "application/sdp", huge, 64 * 1024);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("connection")).isEqualTo("close");
        assertThat(sendPartOfABody("POST", "/whep/" + slug, "wrong-token", "application/sdp", -1, 64 * 1024).status())
                .isEqualTo(401);
        assertThat(sendPartOfABody("POST", "/whip/AAAAAAAAAAAAAAAAAAAAAA", token, "application/sdp", -1, 64 * 1024)
                .status()).isEqualTo(404);
        // Another room's token is refused as early, by the security filter: nothing reads the body.
        String otherToken = otherRoomsToken();
        RawResponse otherRoom = sendPartOfABody("POST", "/whip/" + slug, otherToken, "application/sdp", huge, 64 * 1024);
        assertThat(otherRoom.status()).isEqualTo(401);
        assertThat(otherRoom.header("connection")).isEqualTo("close");
        assertThat(otherRoom.header("www-authenticate")).startsWith("Bearer");
        assertThat(sendPartOfABody("POST", "/whep/" + slug, otherToken, "application/sdp", -1, 64 * 1024).status())
                .isEqualTo(401);
        assertThat(sendPartOfABody("DELETE", "/whip/" + slug + "/x", otherToken, "application/sdp", huge, 64 * 1024)
                .status()).isEqualTo(401);

        // With the right token: too large by Content-Length, and too large while reading a chunked body.
        assertThat(sendPartOfABody("POST", "/whip/" + slug, token, "application/sdp", huge, 64 * 1024).status())
                .isEqualTo(413);
        RawResponse chunked = sendPartOfABody("POST", "/whip/" + slug, token, "application/sdp", -1, 160 * 1024);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.body()).contains("128 KiB");
        assertThat(sendPartOfABody("POST", "/whep/" + slug, token, "application/sdp", -1, 160 * 1024).status())
                .isEqualTo(413);

        // PUT/PATCH/DELETE form bodies are not read up front either (no form filter buffering them before security).
        assertThat(sendPartOfABody("PATCH", "/whip/" + slug + "/x", null, "application/x-www-form-urlencoded", -1,
                64 * 1024).status()).isEqualTo(405);
        assertThat(sendPartOfABody("DELETE", "/whep/" + slug + "/x", null, "application/x-www-form-urlencoded", huge,
                64 * 1024).status()).isEqualTo(401);

        // The server is fine afterwards and takes a real offer.
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        try (WebRtcEndpoint publisher = WebRtcEndpoint.open();
             WhipResource whip = new WhipClient().post(URI.create(base + "/whip/" + slug), token,
                     publisher.createOffer(OfferOptions.whip()))) {
            assertThat(whip.statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aSessionIsDeletedOnlyThroughItsOwnResourceWithTheRoomsToken() throws Exception {
        try (WebRtcEndpoint publisher = WebRtcEndpoint.open(); WebRtcEndpoint player = WebRtcEndpoint.open()) {
            WhipResource whip = new WhipClient().post(URI.create(base + "/whip/" + slug), token,
                    publisher.createOffer(OfferOptions.whip()));
            WhipResource whep = new WhipClient().post(URI.create(base + "/whep/" + slug), token,
                    player.createOffer(OfferOptions.whep()));
            String whipPath = whip.location().getPath();
            String whepPath = whep.location().getPath();
            assertThat(whipPath).startsWith("/whip/" + slug + "/");
            assertThat(whepPath).startsWith("/whep/" + slug + "/");
            String whipThroughWhep = whipPath.replaceFirst("^/whip/", "/whep/");
            String whepThroughWhip = whepPath.replaceFirst("^/whep/", "/whip/");

            assertThat(delete(whipThroughWhep, token)).isEqualTo(404);
            assertThat(delete(whepThroughWhip, token)).isEqualTo(404);
            assertThat(delete(whipPath, "wrong-token")).isEqualTo(401);
            assertThat(delete(whepPath, null)).isEqualTo(401);
            String otherToken = otherRoomsToken();
            assertThat(delete(whipPath, otherToken)).isEqualTo(401);
            assertThat(delete(whepPath, otherToken)).isEqualTo(401);

            // Still alive: each ends through its own resource, once.
            assertThat(whep.delete()).isEqualTo(200);
            assertThat(whip.delete()).isEqualTo(200);
            assertThat(delete(whipPath, token)).isEqualTo(404);
            assertThat(delete(whepPath, token)).isEqualTo(404);
        }
    }

    /** The token of another room of the same host: valid, but not for this room. */
    private String otherRoomsToken() {
        long id = RoomForms.schedule(host, RoomForms.valid("Streamed too", ZoneId.of("UTC"), 1));
        String other = host.get("/rooms/" + id).byTestId("stream-token").attr("value");
        assertThat(other).isNotEqualTo(token);
        return other;
    }

    private HttpResponse<String> whep(String query, String offer) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/whep/" + slug + query))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int delete(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).DELETE();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Writes a request head announcing {@code contentLength} bytes (or chunked when negative), then only
     * {@code sentBytes} of body, never its end, and reads the response. A server that waited for the whole body would
     * never answer: the socket's read timeout then fails the test (a guard against hanging, not a speed measurement).
     */
    private RawResponse sendPartOfABody(String method, String path, String bearer, String contentType,
                                        long contentLength, int sentBytes) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            head.append("Content-Type: ").append(contentType).append("\r\n");
            if (bearer != null) {
                head.append("Authorization: Bearer ").append(bearer).append("\r\n");
            }
            head.append(contentLength >= 0 ? "Content-Length: " + contentLength : "Transfer-Encoding: chunked")
                    .append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] piece = new byte[8 * 1024];
            Arrays.fill(piece, (byte) 'a');
            for (int sent = 0; sent < sentBytes; sent += piece.length) {
                if (contentLength < 0) {
                    out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(piece);
                if (contentLength < 0) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.flush();
            try {
                return readResponse(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError(method + " " + path + ": no answer while the body was still incomplete", e);
            }
        }
    }

    private static RawResponse readResponse(InputStream in) throws Exception {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        String body = "";
        String length = headers.get("content-length");
        if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder text = new StringBuilder();
            for (int size = Integer.parseInt(readLine(in).strip(), 16); size > 0;
                 size = Integer.parseInt(readLine(in).strip(), 16)) {
                text.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                readLine(in);
            }
            body = text.toString();
        }
        return new RawResponse(status, headers, body);
    }

    private static String readLine(InputStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new AssertionError("the connection closed before the response was complete");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
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
}
