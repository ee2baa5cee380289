package dev.parley.meeting;

import static dev.parley.meeting.HostControlsTest.enter;
import static dev.parley.meeting.HostControlsTest.moderate;
import static dev.parley.meeting.HostControlsTest.untilPong;
import static dev.parley.meeting.HostControlsTest.updateOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditEventRepository;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Raised hands, reactions and reported connection quality (docs/signaling.md, section 10) over real WebSockets
 * against the running application: what everyone sees, the queue's order, a host lowering hands (told to the person,
 * audited), who may not, the rate limits, and malformed messages refused with the connection kept.
 */
@ParleyWebTest
class HandsAndReactionsTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    AuditEventRepository audit;

    @Test
    void handsQueueInTheOrderRaisedAndOnlyHostsLowerOthers() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Questions", 1)).orElseThrow().getSlug();
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host.session(), slug, "The Host");
            String adaId = enter(ada, new WebSession(port), slug, "Ada");
            String bobId = enter(bob, new WebSession(port), slug, "Bob");

            bob.send(hand(true));
            long bobRaised = updateOf(hostClient, bobId).path("hand").asLong();
            assertThat(updateOf(bob, bobId).path("hand").asLong()).as("the sender sees its hand up too")
                    .isEqualTo(bobRaised);
            ada.send(hand(true));
            JsonNode adaUp = updateOf(hostClient, adaId);
            assertThat(adaUp.path("hand").asLong()).as("Ada comes after Bob in the queue").isGreaterThanOrEqualTo(bobRaised);
            assertThat(updateOf(bob, adaId).path("hand").asLong()).isEqualTo(adaUp.path("hand").asLong());
            ada.send(hand(true));
            assertThat(untilPong(hostClient, "participant-updated")).as("raising a raised hand keeps its place")
                    .isEmpty();

            ada.send(moderate("lower-hand", bobId));
            assertThat(ada.expectError("not-allowed").path("ref").asText()).isEqualTo("moderate");
            hostClient.send(moderate("lower-hand", bobId));
            JsonNode notice = bob.next("moderated");
            assertThat(notice.path("action").asText()).isEqualTo("lower-hand");
            assertThat(notice.path("by").path("participantId").asText()).isEqualTo(hostId);
            assertThat(updateOf(ada, bobId).path("hand").isNull()).as("everyone sees Bob's hand down").isTrue();

            bob.send(hand(true));
            updateOf(hostClient, bobId);
            assertThat(updateOf(ada, bobId).path("hand").isNull()).as("Bob's hand up again").isFalse();
            ada.send(hand(false));
            assertThat(updateOf(hostClient, adaId).path("hand").isNull()).as("Ada lowers her own hand").isTrue();
            hostClient.send(hand(true));
            updateOf(bob, hostId);
            hostClient.send(moderate("lower-all-hands", null));
            assertThat(bob.next("moderated").path("action").asText()).isEqualTo("lower-hand");
            assertThat(updateOf(ada, bobId).path("hand").isNull()).isTrue();
            assertThat(untilPong(ada, "moderated")).as("Ada's hand was down: no notice").isEmpty();
            assertThat(untilPong(hostClient, "moderated")).as("the host keeps its own hand up").isEmpty();

            // A co-host's lower-all-hands, as its lower-hand, leaves the host's hand up.
            hostClient.send(moderate("make-cohost", adaId));
            ada.next("moderated");
            bob.send(hand(true));
            updateOf(ada, bobId);
            ada.send(moderate("lower-all-hands", null));
            assertThat(bob.next("moderated").path("by").path("participantId").asText()).isEqualTo(adaId);
            assertThat(untilPong(hostClient, "moderated")).as("the host's hand stays up").isEmpty();

            bob.send(Map.of("type", "hand", "raised", "yes"));
            assertThat(bob.expectError("bad-message").path("ref").asText()).isEqualTo("hand");
            assertThat(bob.isOpen()).isTrue();
        }
        List<AuditEvent> events = audit.findAll().stream()
                .filter(e -> e.getDetails() != null && e.getDetails().startsWith("room " + slug)).toList();
        // The host's grant and the co-host's lowering are written by two threads: either may come first.
        assertThat(events).extracting(AuditEvent::getAction).containsExactlyInAnyOrder("MEETING_HAND_LOWERED",
                "MEETING_HANDS_LOWERED_ALL", "MEETING_COHOST_GRANTED", "MEETING_HANDS_LOWERED_ALL");
        assertThat(events).filteredOn(e -> e.getAction().equals("MEETING_HAND_LOWERED"))
                .singleElement().satisfies(e -> assertThat(e.getTarget()).isEqualTo("guest \"Bob\""));
        assertThat(events).filteredOn(e -> e.getAction().equals("MEETING_HANDS_LOWERED_ALL"))
                .as("the host's (Bob's) and the co-host's (Bob's, not the host's)").hasSize(2)
                .allSatisfy(e -> assertThat(e.getDetails()).endsWith("1 lowered"));
    }

    @Test
    void reactionsReachEveryoneAndAreLimited() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Applause", 1)).orElseThrow().getSlug();
        try (SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            String adaId = enter(ada, new WebSession(port), slug, "Ada");
            enter(bob, new WebSession(port), slug, "Bob");

            ada.send(Map.of("type", "reaction", "name", "clap"));
            JsonNode seen = bob.next("reaction");
            assertThat(seen.path("participantId").asText()).isEqualTo(adaId);
            assertThat(seen.path("name").asText()).isEqualTo("clap");
            assertThat(ada.next("reaction").path("name").asText()).as("the sender's confirmation").isEqualTo("clap");

            for (String bad : List.of("{\"type\":\"reaction\",\"name\":\"<img src=x>\"}",
                    "{\"type\":\"reaction\",\"name\":7}", "{\"type\":\"reaction\"}")) {
                ada.sendRaw(bad);
                assertThat(ada.expectError("bad-message").path("ref").asText()).isEqualTo("reaction");
            }
            int sent = 0;
            String refused = null;
            while (refused == null && sent < Reactions.BURST + 3) {
                ada.send(Map.of("type", "reaction", "name", "party"));
                sent++;
                JsonNode answer = ada.nextAny(java.time.Duration.ofSeconds(10));
                while (!answer.path("type").asText().equals("reaction") && !answer.path("type").asText().equals("error")) {
                    answer = ada.nextAny(java.time.Duration.ofSeconds(10));
                }
                if (answer.path("type").asText().equals("error")) {
                    refused = answer.path("code").asText();
                }
            }
            assertThat(refused).as("a flood of reactions is cut off").isEqualTo("rate-limited");
            assertThat(sent).as("after the burst, not before").isGreaterThan(Reactions.BURST - 1);
            assertThat(ada.isOpen()).isTrue();
        }
    }

    @Test
    void everyoneSeesTheConnectionQualityEachPageReportsButOnlyItsChanges() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Quality", 1)).orElseThrow().getSlug();
        try (SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Ada")));
            JsonNode welcome = ada.next("welcome");
            String adaId = welcome.path("participantId").asText();
            assertThat(welcome.path("self").path("quality").asText()).isEqualTo("unknown");
            assertThat(welcome.path("self").path("hand").isNull()).isTrue();

            ada.send(Map.of("type", "quality", "level", "poor"));
            bob.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Bob")));
            JsonNode bobWelcome = bob.next("welcome");
            assertThat(bobWelcome.path("participants").get(0).path("quality").asText())
                    .as("a newcomer sees the others' last report").isEqualTo("poor");
            ada.send(Map.of("type", "quality", "level", "poor"));
            assertThat(untilPong(bob, "participant-updated")).as("the same level again is no news").isEmpty();
            ada.send(Map.of("type", "quality", "level", "good"));
            assertThat(updateOf(bob, adaId).path("quality").asText()).isEqualTo("good");

            for (String level : List.of("unknown", "excellent", "")) {
                ada.send(Map.of("type", "quality", "level", level));
                assertThat(ada.expectError("bad-message").path("ref").asText()).isEqualTo("quality");
            }
        }
    }

    /**
     * Microphone and camera changes reach everyone, the same state again is no news, and a page that toggles without
     * end is told to the room at a bounded rate: the changes beyond the allowance wait, and the last state arrives.
     */
    @Test
    void mediaStateChangesReachEveryoneAtABoundedRateAndTheLastOneAlwaysArrives() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Toggles", 1)).orElseThrow().getSlug();
        try (SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            ada.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Ada")));
            String adaId = ada.next("welcome").path("participantId").asText();
            bob.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Bob")));
            bob.next("welcome");

            ada.send(Map.of("type", "media-state", "audio", false, "video", true));
            JsonNode muted = updateOf(bob, adaId);
            assertThat(muted.path("audio").asBoolean()).isFalse();
            ada.send(Map.of("type", "media-state", "audio", false, "video", true));
            assertThat(untilPong(bob, "participant-updated")).as("the same state again is no news").isEmpty();

            int toggles = 3 * MediaStateUpdates.BURST;
            for (int i = 0; i < toggles; i++) {
                ada.send(Map.of("type", "media-state", "audio", i % 2 == 0, "video", true));
            }
            ada.send(Map.of("type", "media-state", "audio", false, "video", false)); // the last, and only, camera off
            int told = 0;
            JsonNode update;
            do {
                update = updateOf(bob, adaId);
                told++;
            } while (update.path("video").asBoolean());
            assertThat(update.path("audio").asBoolean()).as("the last state").isFalse();
            assertThat(told).as("updates told of %d changes sent at once", toggles + 1)
                    .isBetween(2, MediaStateUpdates.BURST + 4); // and what refilled while they were sent
        }
    }

    private static Map<String, Object> hand(boolean raised) {
        return Map.of("type", "hand", "raised", raised);
    }
}
