package dev.parley.meeting;

import static dev.parley.testing.SignalingClient.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Reconnection over real WebSockets (docs/signaling.md, section 4): a participant whose socket drops without a leave
 * keeps its place as reconnecting for the grace (4 s in the test profile), and takes it back with its resume token
 * over a new socket; after the grace it has left as disconnected. Tokens are single use, bound to their room, and no
 * good to an account that was disabled.
 */
@ParleyWebTest
class ReconnectionTest {

    private static final Duration GRACE = Duration.ofSeconds(4);

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    WebSession host;

    @BeforeEach
    void aHost() {
        host = fixtures.signIn(fixtures.user(Role.HOST));
    }

    @Test
    void aResumeWithinTheGraceKeepsTheParticipantWhomTheOthersSawReconnecting() {
        String slug = openRoom();
        try (Answering ada = new Answering(port)) {
            ada.client.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            String adaId = ada.next("welcome").path("participantId").asText();

            SignalingClient bob = SignalingClient.connect(port);
            bob.send(join(host.joinTicket(slug, "Bob")));
            JsonNode welcome = bob.next("welcome");
            String bobId = welcome.path("participantId").asText();
            String token = welcome.path("resumeToken").asText();
            assertThat(welcome.path("host").asBoolean()).isTrue();
            assertThat(token).hasSizeGreaterThanOrEqualTo(43);
            answerNextOffer(bob);
            bob.send(Map.of("type", "media-state", "audio", false, "video", true));
            assertThat(ada.next("participant-joined").path("participant").path("connection").asText())
                    .isEqualTo("connected");
            ada.next("participant-updated");

            bob.close(); // no leave: the network dropped
            JsonNode reconnecting = ada.next("participant-updated");
            assertThat(reconnecting.path("participant").path("id").asText()).isEqualTo(bobId);
            assertThat(reconnecting.path("participant").path("connection").asText()).isEqualTo("reconnecting");

            try (SignalingClient back = SignalingClient.connect(port)) {
                back.send(resume(token, slug));
                JsonNode resumed = back.next("resumed");
                assertThat(resumed.path("participantId").asText()).isEqualTo(bobId);
                assertThat(resumed.path("host").asBoolean()).as("host powers kept").isTrue();
                assertThat(resumed.path("self").path("audio").asBoolean()).as("media state kept").isFalse();
                assertThat(resumed.path("self").path("connection").asText()).isEqualTo("connected");
                assertThat(resumed.path("participants")).hasSize(1);
                assertThat(resumed.path("participants").get(0).path("id").asText()).isEqualTo(adaId);
                String next = resumed.path("resumeToken").asText();
                assertThat(next).as("a new token on every resume").isNotEmpty().isNotEqualTo(token);
                JsonNode offer = back.next("offer");
                assertThat(offer.path("version").asInt()).as("a new transport's first offer").isEqualTo(1);
                assertThat(offer.path("tracks")).as("Ada's tracks").hasSize(2);
                back.send(Map.of("type", "answer", "version", 1, "sdp",
                        SignalingProtocolTest.fakeAnswer(offer.path("sdp").asText())));

                List<JsonNode> seen = ada.collect(GRACE.plusSeconds(2));
                assertThat(seen).as("Ada sees Bob back, and never leaving")
                        .noneMatch(m -> m.path("type").asText().equals("participant-left"))
                        .anyMatch(m -> m.path("type").asText().equals("participant-updated")
                                && m.path("participant").path("id").asText().equals(bobId)
                                && m.path("participant").path("connection").asText().equals("connected"));
                assertThat(seen).as("Ada gets an offer with Bob's new tracks")
                        .anyMatch(m -> m.path("type").asText().equals("offer") && tracksOf(m, bobId) == 2);

                back.send(Map.of("type", "ping", "id", 1));
                assertThat(back.next("pong").path("id").asInt()).isEqualTo(1);
                assertThat(back.isOpen()).isTrue();
            }
        }
    }

    @Test
    void aTokenWorksOnceAndOnlyForItsOwnRoom() {
        String slug = openRoom();
        String otherSlug = openRoom();
        try (SignalingClient other = SignalingClient.connect(port)) {
            other.send(join(new WebSession(port).joinTicket(otherSlug, "Elsewhere")));
            other.next("welcome");

            SignalingClient bob = SignalingClient.connect(port);
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            JsonNode welcome = bob.next("welcome");
            String token = welcome.path("resumeToken").asText();
            bob.close();

            try (SignalingClient wrongRoom = SignalingClient.connect(port)) {
                wrongRoom.send(resume(token, otherSlug));
                wrongRoom.expectError("resume-invalid");
                wrongRoom.send(resume("not-a-token", slug));
                wrongRoom.expectError("resume-invalid");
            }
            String next;
            try (SignalingClient back = SignalingClient.connect(port)) {
                back.send(resume(token, slug));
                JsonNode resumed = back.next("resumed");
                assertThat(resumed.path("participantId").asText()).isEqualTo(welcome.path("participantId").asText());
                next = resumed.path("resumeToken").asText();
                back.send(resume(next, slug));
                back.expectError("already-joined");

                try (SignalingClient replay = SignalingClient.connect(port)) {
                    replay.send(resume(token, slug));
                    replay.expectError("resume-invalid");
                    replay.send(Map.of("type", "media-state", "audio", true, "video", true));
                    replay.expectError("not-joined");
                }
            }
            // The new token works the next time, and a leave afterwards makes it worthless.
            try (SignalingClient again = SignalingClient.connect(port)) {
                again.send(resume(next, slug));
                String last = again.next("resumed").path("resumeToken").asText();
                again.send(Map.of("type", "leave"));
                again.awaitClose(Duration.ofSeconds(5));
                try (SignalingClient late = SignalingClient.connect(port)) {
                    late.send(resume(last, slug));
                    late.expectError("resume-invalid");
                }
            }
        }
    }

    @Test
    void aNewSocketTakesOverFromAHalfOpenOne() {
        String slug = openRoom();
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            JsonNode welcome = bob.next("welcome");
            // The old socket still looks open to the server (its peer vanished without a FIN) when the page resumes.
            try (SignalingClient back = SignalingClient.connect(port)) {
                back.send(resume(welcome.path("resumeToken").asText(), slug));
                assertThat(back.next("resumed").path("participantId").asText())
                        .isEqualTo(welcome.path("participantId").asText());
                assertThat(bob.awaitClose(Duration.ofSeconds(5))).as("the old socket is closed, without a bye")
                        .isEqualTo(4000);
                List<JsonNode> seen = collect(ada, GRACE.plusSeconds(1));
                assertThat(seen).noneMatch(m -> m.path("type").asText().equals("participant-left"));
            }
        }
    }

    @Test
    void afterTheGraceTheParticipantHasLeftAndCannotResume() {
        String slug = openRoom();
        try (SignalingClient ada = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            SignalingClient bob = SignalingClient.connect(port);
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            JsonNode welcome = bob.next("welcome");
            String bobId = welcome.path("participantId").asText();
            long dropped = System.nanoTime();
            bob.close();
            assertThat(ada.next("participant-updated").path("participant").path("connection").asText())
                    .isEqualTo("reconnecting");
            JsonNode left = ada.next("participant-left", GRACE.plusSeconds(5));
            Duration after = Duration.ofNanos(System.nanoTime() - dropped);
            assertThat(left.path("participantId").asText()).isEqualTo(bobId);
            assertThat(left.path("reason").asText()).isEqualTo("disconnected");
            assertThat(after).as("left once the grace ran out").isGreaterThanOrEqualTo(GRACE.minusMillis(200));
            try (SignalingClient late = SignalingClient.connect(port)) {
                late.send(resume(welcome.path("resumeToken").asText(), slug));
                late.expectError("resume-invalid");
            }
        }
    }

    @Test
    void aDisabledAccountCannotResume() {
        String slug = openRoom();
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession memberSession = fixtures.signIn(member);
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        try (SignalingClient ada = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            SignalingClient member1 = SignalingClient.connect(port);
            member1.send(join(memberSession.joinTicket(slug, "Member")));
            JsonNode welcome = member1.next("welcome");
            member1.close();
            assertThat(ada.next("participant-updated").path("participant").path("connection").asText())
                    .isEqualTo("reconnecting");

            WebSession.Page page = admin.get("/admin/users/" + member.getId());
            admin.post("/admin/users/" + member.getId() + "/enabled", page.csrfToken(), Map.of("enabled", "false"));
            JsonNode left = ada.next("participant-left");
            assertThat(left.path("participantId").asText()).isEqualTo(welcome.path("participantId").asText());
            assertThat(left.path("reason").asText()).isEqualTo("removed");
            try (SignalingClient back = SignalingClient.connect(port)) {
                back.send(resume(welcome.path("resumeToken").asText(), slug));
                back.expectError("resume-invalid");
            }
        }
    }

    private static int tracksOf(JsonNode offer, String participantId) {
        int count = 0;
        for (JsonNode track : offer.path("tracks")) {
            if (track.path("participantId").asText().equals(participantId)) {
                count++;
            }
        }
        return count;
    }

    /** Every message that arrives within the given time. */
    private static List<JsonNode> collect(SignalingClient client, Duration during) {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                seen.add(client.nextAny(Duration.ofMillis(200)));
            } catch (AssertionError quiet) {
                // nothing this time
            }
        }
        return seen;
    }

    /** A participant whose client answers every offer at once, as a browser does, and keeps every message. */
    static final class Answering implements AutoCloseable {
        final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        final SignalingClient client;

        Answering(int port) {
            SignalingClient[] self = new SignalingClient[1];
            client = SignalingClient.open(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port),
                    message -> {
                        inbox.add(message);
                        if (message.path("type").asText().equals("offer")) {
                            self[0].sendAsync(Map.of("type", "answer", "version", message.path("version").asInt(),
                                    "sdp", SignalingProtocolTest.fakeAnswer(message.path("sdp").asText())));
                        }
                    });
            self[0] = client;
        }

        JsonNode next(String type) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            try {
                for (JsonNode m = inbox.poll(10, TimeUnit.SECONDS); m != null && System.nanoTime() < deadline;
                     m = inbox.poll(10, TimeUnit.SECONDS)) {
                    if (m.path("type").asText().equals(type)) {
                        return m;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("no '" + type + "' message");
        }

        List<JsonNode> collect(Duration during) {
            List<JsonNode> seen = new ArrayList<>();
            long deadline = System.nanoTime() + during.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    JsonNode m = inbox.poll(200, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        seen.add(m);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return seen;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static void answerNextOffer(SignalingClient client) {
        JsonNode offer = client.next("offer");
        client.send(Map.of("type", "answer", "version", offer.path("version").asInt(), "sdp",
                SignalingProtocolTest.fakeAnswer(offer.path("sdp").asText())));
    }

    private String openRoom() {
        long id = RoomForms.schedule(host, RoomForms.valid("Reconnecting", ZoneId.of("UTC"), 1));
        return rooms.findById(id).orElseThrow().getSlug();
    }

    private static Map<String, Object> resume(String token, String slug) {
        return Map.of("type", "resume", "token", token, "slug", slug);
    }
}
