package dev.parley.meeting;

import static dev.parley.meeting.SignalingProtocolTest.fakeAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Screen sharing over real sockets against the running application (docs/signaling.md, section 7): the sharer is
 * offered a section of its own, the others get the share as a track tagged screen and lose it when it stops, a room
 * takes three shares at once, and a share goes on over the new transport of a resume.
 */
@ParleyWebTest
class ScreenShareSignalingTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    WebSession host;
    String slug;
    final List<SignalingClient> clients = new ArrayList<>();

    @BeforeEach
    void aRoom() {
        host = fixtures.signIn(fixtures.user(Role.HOST));
        Map<String, String> form = RoomForms.valid("Screens", ZoneId.of("UTC"), 1);
        slug = rooms.findById(RoomForms.schedule(host, form)).orElseThrow().getSlug();
    }

    @AfterEach
    void close() {
        clients.forEach(SignalingClient::close);
    }

    @Test
    void aShareGetsASectionOfItsOwnReachesTheOthersAsAScreenAndEndsForThemWhenItStops() throws Exception {
        SignalingClient ada = join("Ada");
        String adaId = ada.next("welcome").path("participantId").asText();
        answer(ada);
        SignalingClient bob = join("Bob");
        bob.next("welcome");
        answer(bob);
        answer(ada); // Bob's tracks

        ada.send(Map.of("type", "screen-share", "active", true));
        JsonNode offer = answer(ada);
        String screenMid = offer.path("publish").path("screen").asText();
        assertThat(screenMid).isNotEmpty().isNotIn(offer.path("publish").path("audio").asText(),
                offer.path("publish").path("video").asText());
        MediaDescription section = SdpParser.parse(offer.path("sdp").asText()).mediaByMid(screenMid).orElseThrow();
        assertThat(section.media()).isEqualTo("video");
        assertThat(section.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(section.simulcast()).as("a share is one stream").isEmpty();

        JsonNode bobs = answer(bob);
        assertThat(bobs.path("tracks")).extracting(t -> t.path("participantId").asText() + " "
                + t.path("kind").asText() + " " + t.path("source").asText())
                .containsExactlyInAnyOrder(adaId + " audio microphone", adaId + " video camera",
                        adaId + " video screen");

        ada.send(Map.of("type", "screen-share", "active", false));
        JsonNode afterStop = answer(bob);
        assertThat(afterStop.path("tracks")).extracting(t -> t.path("source").asText())
                .containsExactlyInAnyOrder("microphone", "camera");
        assertThat(afterStop.path("sdp").asText()).contains("a=inactive");
        JsonNode adaAfter = answer(ada);
        assertThat(adaAfter.path("publish").path("screen").asText()).as("the section stays, to be answered inactive")
                .isEqualTo(screenMid);
    }

    @Test
    void aRoomTakesThreeSharesAtOnce() {
        List<SignalingClient> four = new ArrayList<>();
        for (String name : List.of("Ada", "Bob", "Cyd", "Dan")) {
            SignalingClient client = join(name);
            client.next("welcome");
            four.add(client);
        }
        for (SignalingClient sharer : four.subList(0, 3)) {
            sharer.send(Map.of("type", "screen-share", "active", true));
            noErrorBeforePong(sharer);
        }
        SignalingClient dan = four.get(3);
        dan.send(Map.of("type", "screen-share", "active", true));
        JsonNode refused = dan.expectError("too-many-shares");
        assertThat(refused.path("ref").asText()).isEqualTo("screen-share");
        assertThat(dan.isOpen()).isTrue();

        four.get(0).send(Map.of("type", "screen-share", "active", false));
        noErrorBeforePong(four.get(0));
        dan.send(Map.of("type", "screen-share", "active", true));
        noErrorBeforePong(dan);

        dan.send(Map.of("type", "screen-share"));
        dan.expectError("bad-message");
        dan.send(Map.of("type", "screen-share", "active", "yes"));
        dan.expectError("bad-message");
    }

    @Test
    void aShareGoesOnOverTheNewTransportOfAResume() {
        SignalingClient ada = join("Ada");
        JsonNode welcome = ada.next("welcome");
        String adaId = welcome.path("participantId").asText();
        answer(ada);
        SignalingClient bob = join("Bob");
        bob.next("welcome");
        answer(bob);
        answer(ada);
        ada.send(Map.of("type", "screen-share", "active", true));
        answer(ada);
        answer(bob);

        ada.close(); // no leave: the network dropped
        SignalingClient back = SignalingClient.connect(port);
        clients.add(back);
        back.send(Map.of("type", "resume", "token", welcome.path("resumeToken").asText(), "slug", slug));
        back.next("resumed");
        JsonNode first = answer(back);
        assertThat(first.path("version").asInt()).as("a new transport").isEqualTo(1);
        assertThat(first.path("publish").path("screen").isTextual()).as("with the share's section at once").isTrue();

        JsonNode bobs = null;
        for (int i = 0; i < 5; i++) { // the old transport's tracks go, the new one's come, possibly in two offers
            bobs = answer(bob);
            if (bobs.path("tracks").toString().contains("\"screen\"")) {
                break;
            }
        }
        assertThat(bobs.path("tracks")).extracting(t -> t.path("participantId").asText() + " "
                + t.path("source").asText()).contains(adaId + " screen");
    }

    // ------------------------------------------------------------------ helpers

    private SignalingClient join(String name) {
        SignalingClient client = SignalingClient.connect(port);
        clients.add(client);
        client.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, name), "audio", true,
                "video", true));
        return client;
    }

    /** Answers the client's next offer as a browser that sends on every section offered for it; returns the offer. */
    private static JsonNode answer(SignalingClient client) {
        JsonNode offer = client.next("offer", Duration.ofSeconds(10));
        client.send(Map.of("type", "answer", "version", offer.path("version").asInt(), "sdp",
                fakeAnswer(offer.path("sdp").asText())));
        return offer;
    }

    /** A ping's pong comes back with no error before it. */
    private static void noErrorBeforePong(SignalingClient client) {
        client.send(Map.of("type", "ping", "id", 5));
        while (true) {
            JsonNode next = client.nextAny(Duration.ofSeconds(10));
            assertThat(next.path("type").asText()).as(next.toString()).isNotEqualTo("error");
            if (next.path("type").asText().equals("pong")) {
                return;
            }
        }
    }
}
