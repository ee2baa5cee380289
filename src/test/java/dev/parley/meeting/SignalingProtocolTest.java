package dev.parley.meeting;

import static dev.parley.testing.SignalingClient.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.Fingerprint;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SdpWriter;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The signalling protocol of docs/signaling.md, over a real WebSocket against the running application. */
@ParleyWebTest
class SignalingProtocolTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    UserAccount hostAccount;
    WebSession host;

    @BeforeEach
    void aHost() {
        hostAccount = fixtures.user(Role.HOST);
        host = fixtures.signIn(hostAccount);
    }

    @Test
    void badMessagesGetAnErrorAndTheConnectionStaysUp() {
        try (SignalingClient client = SignalingClient.connect(port)) {
            client.sendRaw("this is not json");
            client.expectError("bad-json");
            client.sendRaw("[1, 2, 3]");
            client.expectError("bad-message");
            client.send(Map.of("type", "dance"));
            assertThat(client.expectError("unknown-type").path("ref").asText()).isEqualTo("dance");
            client.send(Map.of("type", "ping", "padding", "x".repeat(70_000)));
            client.expectError("too-large");
            client.send(Map.of("type", "answer", "version", 1, "sdp", "v=0"));
            client.expectError("not-joined");
            client.send(Map.of("type", "join"));
            client.expectError("bad-message");
            client.send(Map.of("type", "join", "ticket", "forged.ticket"));
            client.expectError("ticket-invalid");
            client.send(Map.of("type", "join", "ticket", "abc", "audio", "yes"));
            client.expectError("bad-message");
            client.send(Map.of("type", "ping", "id", 7));
            assertThat(client.next("pong").path("id").asInt()).isEqualTo(7);
            assertThat(client.isOpen()).isTrue();
        }
    }

    /**
     * A room title stored before such titles were refused (H2 keeps half of a surrogate pair as it is) is written as
     * U+FFFD: the container cannot encode the half in UTF-8, and the welcome's send failed and closed the socket of
     * everyone who joined, for good.
     */
    @Test
    void aTitleWithHalfASurrogatePairStillLetsPeopleIn() {
        String slug = openRoom(Map.of());
        Room room = rooms.findBySlug(slug).orElseThrow();
        room.setTitle("Stand-up \ud83d");
        rooms.save(room);
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            assertThat(ada.next("welcome").path("room").path("title").asText()).isEqualTo("Stand-up \uFFFD");
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            assertThat(bob.next("welcome").path("participants").get(0).path("displayName").asText()).isEqualTo("Ada");
            assertThat(ada.next("participant-joined").path("participant").path("displayName").asText())
                    .isEqualTo("Bob");
            ada.send(Map.of("type", "ping", "id", 3));
            assertThat(ada.next("pong").path("id").asInt()).isEqualTo(3);
        }
    }

    /** Far past the limit (twice it), a message ends the connection, as the container did before it read in parts. */
    @Test
    void aFarTooLargeMessageClosesTheSocket() {
        try (SignalingClient client = SignalingClient.connect(port)) {
            client.send(Map.of("type", "ping", "padding", "x".repeat(2 * SignalingCodec.MAX_MESSAGE_BYTES + 10)));
            assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
        }
    }

    @Test
    void otherOriginsCannotOpenTheSocket() {
        assertThatThrownBy(() -> SignalingClient.connect(port, "http://evil.example"))
                .hasStackTraceContaining("WebSocketHandshakeException").hasStackTraceContaining("403");
    }

    @Test
    void joiningGivesAWelcomeAndAnOfferAndOthersAreTold() {
        String slug = openRoom(Map.of());
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            JsonNode welcome = ada.next("welcome");
            String adaId = welcome.path("participantId").asText();
            assertThat(welcome.path("participants")).isEmpty();
            assertThat(welcome.path("host").asBoolean()).isFalse();
            JsonNode offer = ada.next("offer");
            assertThat(offer.path("version").asInt()).isEqualTo(1);
            assertThat(offer.path("sdp").asText()).contains("a=ice-lite", "a=group:BUNDLE 0 1",
                    "a=candidate:", "127.0.0.1", "a=setup:actpass", "a=fingerprint:sha-256 ");
            assertThat(offer.path("publish").path("audio").asText()).isEqualTo("0");
            assertThat(offer.path("publish").path("video").asText()).isEqualTo("1");

            ada.send(Map.of("type", "answer", "version", 1, "sdp", "v=0\r\nnonsense"));
            ada.expectError("bad-sdp");
            ada.send(Map.of("type", "answer", "version", 9, "sdp", fakeAnswer(offer.path("sdp").asText())));
            ada.expectError("stale-answer");
            ada.send(Map.of("type", "answer", "version", 1, "sdp", fakeAnswer(offer.path("sdp").asText())));

            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            JsonNode bobWelcome = bob.next("welcome");
            assertThat(bobWelcome.path("participants").get(0).path("id").asText()).isEqualTo(adaId);
            assertThat(bobWelcome.path("participants").get(0).path("displayName").asText()).isEqualTo("Ada");
            JsonNode joined = ada.next("participant-joined");
            String bobId = joined.path("participant").path("id").asText();
            assertThat(joined.path("participant").path("displayName").asText()).isEqualTo("Bob");

            // Ada publishes (her answer said sendonly), so Bob's first offer already carries her tracks.
            JsonNode bobOffer = bob.next("offer");
            assertThat(bobOffer.path("tracks")).hasSize(2).allSatisfy(t ->
                    assertThat(t.path("participantId").asText()).isEqualTo(adaId));
            bob.send(Map.of("type", "answer", "version", 1, "sdp", fakeAnswer(bobOffer.path("sdp").asText())));
            JsonNode adaSecond = ada.next("offer");
            assertThat(adaSecond.path("version").asInt()).isEqualTo(2);
            assertThat(adaSecond.path("tracks")).hasSize(2).allSatisfy(t ->
                    assertThat(t.path("participantId").asText()).isEqualTo(bobId));
            ada.send(Map.of("type", "answer", "version", 2, "sdp", fakeAnswer(adaSecond.path("sdp").asText())));

            bob.send(Map.of("type", "media-state", "audio", false, "video", true));
            JsonNode updated = ada.next("participant-updated");
            assertThat(updated.path("participant").path("audio").asBoolean()).isFalse();
            bob.send(Map.of("type", "media-state", "audio", "no"));
            bob.expectError("bad-message");

            bob.close();
            // the departure notice and the relay's new offer travel on different threads: either may come first
            JsonNode left = null;
            JsonNode third = null;
            while (left == null || third == null) {
                JsonNode message = ada.nextAny(Duration.ofSeconds(10));
                switch (message.path("type").asText()) {
                    case "participant-left" -> left = message;
                    case "offer" -> third = message;
                    default -> { }
                }
            }
            assertThat(left.path("participantId").asText()).isEqualTo(bobId);
            assertThat(left.path("reason").asText()).isEqualTo("disconnected");
            assertThat(third.path("version").asInt()).isEqualTo(3);
            assertThat(third.path("sdp").asText()).contains("a=inactive");
            assertThat(third.path("tracks")).as("only live tracks are listed").isEmpty();
        }
    }

    @Test
    void anAnswerStillAppliesWhenSomeoneJoinedWhileItWasOnItsWay() {
        String slug = openRoom(Map.of());
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            JsonNode adaOffer = ada.next("offer");
            // Bob joins and publishes before Ada answers her first offer: her transport gains sections meanwhile.
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            bob.next("welcome");
            JsonNode bobOffer = bob.next("offer");
            bob.send(Map.of("type", "answer", "version", 1, "sdp", fakeAnswer(bobOffer.path("sdp").asText())));
            ada.next("participant-joined");
            ada.send(Map.of("type", "answer", "version", 1, "sdp", fakeAnswer(adaOffer.path("sdp").asText())));
            JsonNode second = ada.nextAny(Duration.ofSeconds(10));
            assertThat(second.path("type").asText()).as("the answer is accepted: " + second).isEqualTo("offer");
            assertThat(second.path("version").asInt()).isEqualTo(2);
            assertThat(second.path("tracks")).hasSize(2);
        }
    }

    @Test
    void leaveClosesTheSocketAndTellsTheOthers() {
        String slug = openRoom(Map.of());
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            String bobId = bob.next("welcome").path("participantId").asText();
            bob.send(Map.of("type", "leave"));
            bob.awaitClose(Duration.ofSeconds(5));
            JsonNode left = ada.next("participant-left", Duration.ofSeconds(5));
            assertThat(left.path("participantId").asText()).isEqualTo(bobId);
            assertThat(left.path("reason").asText()).isEqualTo("left");
        }
    }

    @Test
    void ticketsAreSingleUse() {
        String slug = openRoom(Map.of());
        String ticket = new WebSession(port).joinTicket(slug, "Once");
        try (SignalingClient first = SignalingClient.connect(port); SignalingClient second = SignalingClient.connect(port)) {
            first.send(join(ticket));
            first.next("welcome");
            second.send(join(ticket));
            second.expectError("ticket-invalid");
        }
    }

    @Test
    void theTicketEndpointEnforcesTheRoomsRules() {
        String passcodeRoom = openRoom(Map.of("passcode", "letmein1"));
        WebSession guest = new WebSession(port);
        WebSession.Page prompt = guest.get("/r/" + passcodeRoom);
        assertThat(guest.post("/r/" + passcodeRoom + "/ticket", prompt.csrfToken(), Map.of("displayName", "Eve"))
                .status()).isEqualTo(403);

        Map<String, String> membersOnly = new HashMap<>(Map.of("guestsAllowed", "false"));
        String privateRoom = openRoom(membersOnly);
        WebSession.Page login = guest.get("/login");
        assertThat(guest.post("/r/" + privateRoom + "/ticket", login.csrfToken(), Map.of("displayName", "Eve"))
                .status()).isEqualTo(403);

        String open = openRoom(Map.of());
        WebSession visitor = new WebSession(port);
        String token = visitor.get("/r/" + open).csrfToken();
        assertThat(visitor.post("/r/" + open + "/ticket", token, Map.of("displayName", "  ")).status()).isEqualTo(400);
        assertThat(visitor.post("/r/" + open + "/ticket", token, Map.of("displayName", "n".repeat(61))).status())
                .isEqualTo(400);
        assertThat(visitor.postRaw("/r/" + open + "/ticket", Map.of("displayName", "No CSRF")).status()).isEqualTo(403);
        assertThat(visitor.post("/r/AAAAAAAAAAAAAAAAAAAAAA/ticket", token, Map.of("displayName", "x")).status())
                .isEqualTo(404);
    }

    @Test
    void theRoomsRulesAreCheckedAgainAtJoin() {
        String slug = openRoom(Map.of("maxParticipants", "2"));
        String lateTicket = new WebSession(port).joinTicket(slug, "Late");
        try (SignalingClient a = SignalingClient.connect(port); SignalingClient b = SignalingClient.connect(port);
             SignalingClient c = SignalingClient.connect(port)) {
            a.send(join(new WebSession(port).joinTicket(slug, "A")));
            a.next("welcome");
            b.send(join(new WebSession(port).joinTicket(slug, "B")));
            b.next("welcome");
            WebSession full = new WebSession(port);
            assertThat(full.post("/r/" + slug + "/ticket", full.get("/r/" + slug).csrfToken(),
                    Map.of("displayName", "C")).status()).isEqualTo(409);
            c.send(join(lateTicket));
            c.expectError("room-full");
        }

        String cancelled = openRoom(Map.of());
        String ticket = new WebSession(port).joinTicket(cancelled, "Too late");
        long id = rooms.findBySlug(cancelled).orElseThrow().getId();
        host.post("/rooms/" + id + "/cancel", host.get("/rooms/" + id).csrfToken(), Map.of());
        try (SignalingClient client = SignalingClient.connect(port)) {
            client.send(join(ticket));
            client.expectError("room-closed");
        }
    }

    @Test
    void cancellingARoomEndsTheMeeting() {
        String slug = openRoom(Map.of());
        long id = rooms.findBySlug(slug).orElseThrow().getId();
        try (SignalingClient client = SignalingClient.connect(port)) {
            client.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            client.next("welcome");
            host.post("/rooms/" + id + "/cancel", host.get("/rooms/" + id).csrfToken(), Map.of());
            assertThat(client.next("bye").path("reason").asText()).isEqualTo("room-closed");
            client.awaitClose(Duration.ofSeconds(5));
        }
    }

    @Test
    void aLobbyHoldsGuestsUntilAHostAdmitsThem() {
        String slug = openRoom(Map.of("lobbyEnabled", "true"));
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port);
             SignalingClient rejected = SignalingClient.connect(port)) {
            hostClient.send(join(host.joinTicket(slug, "The Host")));
            assertThat(hostClient.next("welcome").path("host").asBoolean()).isTrue();

            guest.send(join(new WebSession(port).joinTicket(slug, "Guest")));
            assertThat(guest.next("lobby").path("state").asText()).isEqualTo("waiting");
            JsonNode request = hostClient.next("lobby-request");
            String guestId = request.path("participant").path("id").asText();
            assertThat(request.path("participant").path("displayName").asText()).isEqualTo("Guest");

            guest.send(Map.of("type", "lobby-decision", "participantId", guestId, "admit", true));
            guest.expectError("not-joined");

            hostClient.send(Map.of("type", "lobby-decision", "participantId", guestId, "admit", true));
            assertThat(hostClient.next("lobby-resolved").path("participantId").asText()).isEqualTo(guestId);
            assertThat(guest.next("welcome").path("participantId").asText()).isEqualTo(guestId);
            assertThat(hostClient.next("participant-joined").path("participant").path("id").asText()).isEqualTo(guestId);

            rejected.send(join(new WebSession(port).joinTicket(slug, "Unwanted")));
            rejected.next("lobby");
            String rejectedId = hostClient.next("lobby-request").path("participant").path("id").asText();
            guest.send(Map.of("type", "lobby-decision", "participantId", rejectedId, "admit", true));
            guest.expectError("forbidden");
            hostClient.send(Map.of("type", "lobby-decision", "participantId", rejectedId, "admit", false));
            assertThat(rejected.next("bye").path("reason").asText()).isEqualTo("denied");
        }
    }

    @Test
    void aFloodOfMessagesIsRefusedThenClosedWhileAnOrdinaryClientIsNeverLimited() {
        String slug = openRoom(Map.of());
        try (SignalingClient calm = SignalingClient.connect(port);
             SignalingClient flooder = SignalingClient.connect(port)) {
            calm.send(join(new WebSession(port).joinTicket(slug, "Calm")));
            calm.next("welcome");
            flooder.send(join(new WebSession(port).joinTicket(slug, "Flood")));
            String flooderId = flooder.next("welcome").path("participantId").asText();
            assertThat(calm.next("participant-joined").path("participant").path("id").asText()).isEqualTo(flooderId);

            // What a page does in a busy moment stays well inside the limit: every ping is answered.
            for (int i = 0; i < 30; i++) {
                calm.send(Map.of("type", "ping", "id", i));
            }
            for (int i = 0; i < 30; i++) {
                assertThat(calm.next("pong").path("id").asInt()).isEqualTo(i);
            }

            int sent = 0;
            try {
                for (; sent < 1000; sent++) {
                    flooder.sendRaw("{\"type\":\"ping\",\"id\":" + sent + "}");
                }
            } catch (RuntimeException closedWhileSending) {
                // the server closed the socket part-way: that is the point
            }
            assertThat(flooder.expectError("rate-limited").path("message").asText()).isNotBlank();
            assertThat(flooder.next("bye").path("reason").asText()).isEqualTo("rate-limited");
            assertThat(flooder.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);

            JsonNode left = calm.next("participant-left");
            assertThat(left.path("participantId").asText()).isEqualTo(flooderId);
            assertThat(left.path("reason").asText()).isEqualTo("disconnected");
            calm.send(Map.of("type", "ping", "id", 99));
            assertThat(calm.next("pong").path("id").asInt()).isEqualTo(99);
        }
    }

    /**
     * Twenty visitors come, publish and leave, one after another, while Ada stays: each arrives in Ada's offers on the
     * two m-sections the first one had, so her offers stay the size they were with one visitor. Before, each visitor
     * left two inactive sections behind in everyone's description for the rest of the meeting. (Ada answers two offers
     * a visitor: twenty keep her within the 50 messages a connection may send at once, however fast this runs.)
     */
    @Test
    void visitorsComingAndGoingDoNotGrowTheOffersOfThoseWhoStay() {
        String slug = openRoom(Map.of());
        try (SignalingClient ada = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            ada.send(answer(ada.next("offer")));
            List<String> firstMids = null;
            int firstLength = 0;
            for (int i = 0; i < 20; i++) {
                try (SignalingClient visitor = SignalingClient.connect(port)) {
                    visitor.send(join(new WebSession(port).joinTicket(slug, "Visitor " + i)));
                    String visitorId = visitor.next("welcome").path("participantId").asText();
                    visitor.send(answer(visitor.next("offer")));

                    JsonNode withVisitor = ada.next("offer");
                    List<String> mids = new ArrayList<>();
                    withVisitor.path("tracks").forEach(t -> {
                        assertThat(t.path("participantId").asText()).isEqualTo(visitorId);
                        mids.add(t.path("mid").asText());
                    });
                    int length = withVisitor.path("sdp").asText().length();
                    if (firstMids == null) {
                        firstMids = mids;
                        firstLength = length;
                    }
                    assertThat(mids).as("visitor %d's tracks in Ada's offer", i).hasSize(2).isEqualTo(firstMids);
                    assertThat(length).as("Ada's offer with visitor %d", i).isBetween(firstLength - 64, firstLength + 64);
                    ada.send(answer(withVisitor));

                    visitor.send(Map.of("type", "leave"));
                    JsonNode without = ada.next("offer");
                    assertThat(without.path("tracks")).as("only live tracks are listed").isEmpty();
                    ada.send(answer(without));
                }
            }
            // The last visitor's participant-left may come after the offer without him (they are sent from
            // different threads), so what is left before the pong is read through, and none of it may be an error.
            ada.send(Map.of("type", "ping", "id", 1));
            List<String> before = new ArrayList<>();
            for (JsonNode message = ada.nextAny(Duration.ofSeconds(10)); !message.path("type").asText().equals("pong");
                    message = ada.nextAny(Duration.ofSeconds(10))) {
                before.add(message.path("type").asText());
                assertThat(before).as("what came before the pong").hasSizeLessThan(5);
            }
            assertThat(before).as("no error came for any answer").doesNotContain("error");
        }
    }

    /**
     * Forty people publish; Ada, joining last, receives eighty tracks, and her answer is larger than the
     * 64 KiB other messages may have. It is taken: she gets the next offer, which the server sends only once her
     * answer is in. A message that is not an answer is still refused at that size.
     */
    @Test
    void anAnswerForAMeetingOfManySendersMayBeLargerThanOtherMessages() {
        String slug = openRoom(Map.of("maxParticipants", "45"));
        List<SignalingClient> senders = new ArrayList<>();
        try (SignalingClient ada = SignalingClient.connect(port)) {
            for (int i = 0; i < 40; i++) {
                SignalingClient sender = SignalingClient.connect(port);
                senders.add(sender);
                sender.send(join(new WebSession(port).joinTicket(slug, "Sender " + i)));
                sender.next("welcome");
                sender.send(answer(sender.next("offer")));
            }
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            JsonNode offer = ada.next("offer", Duration.ofSeconds(20));
            assertThat(offer.path("tracks")).hasSize(80);
            Map<String, Object> answer = answer(offer);
            int bytes = ((String) answer.get("sdp")).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertThat(bytes).as("Ada's answer").isGreaterThan(SignalingCodec.MAX_MESSAGE_BYTES);
            ada.send(answer);

            SignalingClient last = SignalingClient.connect(port);
            senders.add(last);
            last.send(join(new WebSession(port).joinTicket(slug, "Last sender")));
            last.next("welcome");
            last.send(answer(last.next("offer")));
            JsonNode next = nextOfferOrError(ada);
            assertThat(next.path("type").asText()).as("%s", next).isEqualTo("offer");
            assertThat(next.path("version").asInt()).isEqualTo(2);
            assertThat(next.path("tracks")).hasSize(82);

            ada.send(Map.of("type", "ping", "pad", "x".repeat(bytes)));
            assertThat(ada.expectError("too-large").path("message").asText()).contains("answers to 524288");
        } finally {
            senders.forEach(SignalingClient::close);
        }
    }

    private static JsonNode nextOfferOrError(SignalingClient client) {
        while (true) {
            JsonNode message = client.nextAny(Duration.ofSeconds(20));
            if (List.of("offer", "error").contains(message.path("type").asText())) {
                return message;
            }
        }
    }

    private static Map<String, Object> answer(JsonNode offer) {
        return Map.of("type", "answer", "version", offer.path("version").asInt(), "sdp",
                fakeAnswer(offer.path("sdp").asText()));
    }

    private String openRoom(Map<String, String> overrides) {
        Map<String, String> form = RoomForms.valid("Signalling", ZoneId.of("UTC"), 1);
        form.putAll(overrides);
        if ("false".equals(overrides.get("guestsAllowed"))) {
            form.remove("guestsAllowed");
        }
        long id = RoomForms.schedule(host, form);
        return rooms.findById(id).orElseThrow().getSlug();
    }

    /** An answer as a browser would shape it (no real DTLS behind it): roles and directions flipped, own ICE/DTLS. */
    static String fakeAnswer(String offerSdp) {
        try {
            SessionDescription sdp = SdpParser.parse(offerSdp);
            sdp.setIceLite(false);
            Fingerprint fingerprint = new Fingerprint("sha-256",
                    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");
            for (MediaDescription m : sdp.media()) {
                m.setSetup(Setup.ACTIVE);
                m.setIceCredentials("fake", "0123456789abcdefghijklmn");
                m.setFingerprint(fingerprint);
                Direction direction = m.direction();
                m.setDirection(direction == Direction.INACTIVE ? Direction.INACTIVE : direction.reverse());
            }
            return SdpWriter.write(sdp);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
