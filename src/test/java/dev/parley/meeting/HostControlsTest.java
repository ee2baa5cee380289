package dev.parley.meeting;

import static dev.parley.testing.SignalingClient.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditEventRepository;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The host controls (docs/signaling.md, section 8) over real WebSockets against the running application: what each
 * does and to whom it is told, who may use which, bans at the ticket and at join, the lock, ending the meeting,
 * co-hosts, a host demoted while in the meeting, and the audit log.
 */
@ParleyWebTest
class HostControlsTest {

    /** Rounds of the race between a mute-all and everyone's leave, and how many guests leave in each. */
    private static final int RACE_ROUNDS = 8;
    private static final int RACE_GUESTS = 8; // with the host, within the tests' room capacity (10)

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    LiveRooms liveRooms;

    @Autowired
    AuditEventRepository audit;

    @Autowired
    AccountService accounts;

    UserAccount hostAccount;
    WebSession host;
    long roomId;

    @BeforeEach
    void aHost() {
        hostAccount = fixtures.user(Role.HOST);
        host = fixtures.signIn(hostAccount);
    }

    @Test
    void muteAskToUnmuteAndStopCameraReachWhomTheyConcernAndEveryoneSeesTheState() {
        String slug = openRoom(false);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host, slug, "The Host");
            String adaId = enter(ada, new WebSession(port), slug, "Ada");
            String bobId = enter(bob, new WebSession(port), slug, "Bob");

            hostClient.send(moderate("mute", adaId));
            JsonNode notice = ada.next("moderated");
            assertThat(notice.path("action").asText()).isEqualTo("mute");
            assertThat(notice.path("by").path("participantId").asText()).isEqualTo(hostId);
            assertThat(notice.path("by").path("displayName").asText()).as("the muted person sees who")
                    .isEqualTo("The Host");
            assertThat(notice.has("ban")).isFalse();
            assertThat(updateOf(bob, adaId).path("audio").asBoolean()).as("everyone sees Ada muted").isFalse();
            assertThat(updateOf(hostClient, adaId).path("audio").asBoolean()).isFalse();
            assertThat(updateOf(ada, adaId).path("video").asBoolean()).as("only the microphone").isTrue();

            hostClient.send(moderate("ask-unmute", adaId));
            assertThat(ada.next("moderated").path("action").asText()).isEqualTo("ask-unmute");
            assertThat(untilPong(bob, "participant-updated", "moderated")).as("asking changes nothing for others")
                    .isEmpty();

            hostClient.send(moderate("stop-camera", bobId));
            assertThat(bob.next("moderated").path("action").asText()).isEqualTo("stop-camera");
            JsonNode bobNow = updateOf(ada, bobId);
            assertThat(bobNow.path("video").asBoolean()).isFalse();
            assertThat(bobNow.path("audio").asBoolean()).isTrue();

            // Ada unmutes herself, as anyone may; then everyone but the hosts is muted at once.
            ada.send(Map.of("type", "media-state", "audio", true, "video", true));
            assertThat(updateOf(bob, adaId).path("audio").asBoolean()).isTrue();
            hostClient.send(moderate("mute-all", null));
            assertThat(ada.next("moderated").path("action").asText()).isEqualTo("mute");
            assertThat(bob.next("moderated").path("action").asText()).isEqualTo("mute");
            assertThat(untilPong(hostClient, "moderated")).as("the host is not muted by its own mute-all").isEmpty();

            hostClient.send(moderate("mute", hostId));
            assertThat(hostClient.expectError("bad-message").path("ref").asText()).isEqualTo("moderate");
            hostClient.send(moderate("mute", "p-0000000000000000"));
            hostClient.expectError("unknown-participant");
            hostClient.send(Map.of("type", "moderate", "action", "explode", "participantId", adaId));
            hostClient.expectError("bad-message");
            hostClient.send(Map.of("type", "moderate", "action", "mute"));
            hostClient.expectError("bad-message");
            hostClient.send(Map.of("type", "moderate", "action", "lock", "participantId", adaId));
            hostClient.expectError("bad-message");
            hostClient.send(Map.of("type", "moderate", "action", "mute", "participantId", adaId, "ban", true));
            hostClient.expectError("bad-message");
            assertThat(hostClient.isOpen()).isTrue();
        }
        List<AuditEvent> events = auditOf(slug);
        assertThat(events).extracting(AuditEvent::getAction).contains("MEETING_MUTED", "MEETING_ASKED_TO_UNMUTE",
                "MEETING_CAMERA_STOPPED", "MEETING_MUTED_ALL");
        AuditEvent muted = events.stream().filter(e -> e.getAction().equals("MEETING_MUTED")).findFirst().orElseThrow();
        assertThat(muted.getActor()).isEqualTo(hostAccount.getEmail());
        assertThat(muted.getActorId()).isEqualTo(hostAccount.getId());
        assertThat(muted.getTarget()).isEqualTo("guest \"Ada\"");
        assertThat(muted.getRemoteAddress()).isEqualTo("127.0.0.1");
    }

    /**
     * A change told about someone who has just left must not reach a page after their participant-left: the page would
     * put them back on its list, a tile that stays for good. Here a mute-all finds everyone in the room and mutes them
     * one by one while they all leave at once, so some leave between the two.
     */
    @Test
    void aMuteAllRacingEveryonesLeaveTellsNoChangeAfterTheirLeave() {
        String slug = openRoom(false);
        AtomicInteger updates = new AtomicInteger();
        try (SignalingClient hostClient = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            for (int round = 1; round <= RACE_ROUNDS; round++) {
                List<SignalingClient> guests = new ArrayList<>();
                Set<String> ids = new LinkedHashSet<>();
                try {
                    for (int i = 0; i < RACE_GUESTS; i++) {
                        SignalingClient guest = SignalingClient.connect(port);
                        guests.add(guest);
                        ids.add(enter(guest, new WebSession(port), slug, "Guest " + i));
                    }
                    for (int i = 0; i < guests.size(); i++) {
                        guests.get(i).sendAsync(Map.of("type", "leave"));
                        if (i == guests.size() / 3) {
                            hostClient.sendAsync(moderate("mute-all", null));
                        }
                    }
                    Set<String> gone = new HashSet<>();
                    int r = round;
                    hear(hostClient, () -> gone.containsAll(ids), message -> {
                        String type = message.path("type").asText();
                        if (type.equals("participant-left")) {
                            assertThat(gone.add(message.path("participantId").asText())).as("round %d: %s", r,
                                    message).isTrue();
                        } else if (type.equals("participant-updated")) {
                            String about = message.path("participant").path("id").asText();
                            assertThat(gone).as("round %d: %s came after their participant-left", r, message)
                                    .doesNotContain(about);
                            updates.incrementAndGet();
                        } else {
                            assertThat(type).as("round %d: %s", r, message).isNotEqualTo("error");
                        }
                    }, "participant-left", "participant-updated", "error");
                } finally {
                    guests.forEach(SignalingClient::close);
                }
            }
        }
        assertThat(updates.get()).as("the mute-all muted someone before they left, in some round").isPositive();
    }

    /**
     * A lobby request that is settled as it comes must not reach the hosts after its lobby-resolved: their pages would
     * list it for good. Here guests knock while the host lets everyone in, then all go at once: each knock is settled
     * by the admit-all or by its guest's leave (here the admit-all let in none to two guests a round).
     */
    @Test
    void anAdmitAllRacingKnocksTellsNoRequestAfterItWasSettled() {
        String slug = openRoom(true);
        try (SignalingClient hostClient = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            for (int round = 1; round <= RACE_ROUNDS; round++) {
                List<SignalingClient> guests = new ArrayList<>();
                List<String> tickets = new ArrayList<>();
                try {
                    for (int i = 0; i < RACE_GUESTS; i++) {
                        guests.add(SignalingClient.connect(port));
                        tickets.add(new WebSession(port).joinTicket(slug, "Guest " + i));
                    }
                    for (int i = 0; i < guests.size(); i++) {
                        guests.get(i).sendAsync(join(tickets.get(i)));
                        if (i == guests.size() / 2) {
                            hostClient.sendAsync(moderate("admit-all", null));
                        }
                    }
                    for (SignalingClient guest : guests) {
                        JsonNode knocked = guest.nextAny(Duration.ofSeconds(10));
                        assertThat(knocked.path("type").asText()).as("round %d: a guest's first message, %s", round,
                                knocked).isEqualTo("lobby");
                        guest.sendAsync(Map.of("type", "leave")); // from the lobby or, let in meanwhile, the room
                    }
                } finally {
                    guests.forEach(SignalingClient::close);
                }
                // Each knock is settled once (let in, or gone from the lobby), and each one let in leaves: until the
                // host heard all of it, then what follows until a pong. One let in as the last knock is settled may
                // be told joined only before that pong, and (its socket closed first) leave after its grace: heard
                // again until it has, so that its leave does not fall into the next round.
                Map<String, String> last = new LinkedHashMap<>(); // per knock, the last the host heard of it
                Map<String, Integer> heard = new HashMap<>(); // how many of each type
                Set<String> joined = new HashSet<>();
                Set<String> left = new HashSet<>();
                int r = round;
                Consumer<JsonNode> each = message -> {
                    String type = message.path("type").asText();
                    heard.merge(type, 1, Integer::sum);
                    if (type.equals("lobby-request")) {
                        String id = message.path("participant").path("id").asText();
                        assertThat(last.put(id, type)).as("round %d: %s after it was settled", r, message).isNull();
                    } else if (type.equals("lobby-resolved")) {
                        assertThat(last.put(message.path("participantId").asText(), type))
                                .as("round %d: %s twice", r, message).isNotEqualTo("lobby-resolved");
                    } else if (type.equals("participant-joined")) {
                        joined.add(message.path("participant").path("id").asText());
                    } else if (type.equals("participant-left")) {
                        assertThat(left.add(message.path("participantId").asText()))
                                .as("round %d: %s twice", r, message).isTrue();
                    } else {
                        assertThat(type).as("round %d: %s", r, message).isNotEqualTo("error");
                    }
                };
                do {
                    hear(hostClient, () -> "round " + r + ": the host heard " + heard + "; the last of each knock: "
                            + last, () -> heard.getOrDefault("lobby-resolved", 0) == RACE_GUESTS
                            && left.equals(joined), each,
                            "lobby-request", "lobby-resolved", "participant-joined", "participant-left", "error");
                } while (!left.equals(joined));
                assertThat(last).as("round %d: every request the host heard of was settled", round)
                        .allSatisfy((id, type) -> assertThat(type).isEqualTo("lobby-resolved"));
            }
        }
    }

    @Test
    void aGuestsHostControlIsRefusedAndNothingHappens() {
        String slug = openRoom(false);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host, slug, "The Host");
            enter(ada, new WebSession(port), slug, "Ada");
            String bobId = enter(bob, new WebSession(port), slug, "Bob");
            for (Map<String, Object> control : List.of(moderate("mute", bobId), moderate("remove", hostId),
                    moderate("end", null), moderate("lock", null), moderate("make-cohost", bobId))) {
                ada.send(control);
                JsonNode error = ada.expectError("not-allowed");
                assertThat(error.path("ref").asText()).isEqualTo("moderate");
            }
            assertThat(untilPong(bob, "moderated", "participant-updated", "bye", "room-state")).isEmpty();
            assertThat(untilPong(hostClient, "moderated", "participant-left", "bye", "room-state")).isEmpty();
            assertThat(ada.isOpen()).isTrue();
        }
        assertThat(auditOf(slug)).isEmpty();
    }

    @Test
    void removedGuestsMayComeBackButBannedOnesAreRefusedAtTheTicketAndAtJoin() {
        String slug = openRoom(false);
        WebSession adaWeb = new WebSession(port);
        WebSession bobWeb = new WebSession(port);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            String adaId = enter(ada, adaWeb, slug, "Ada");
            String bobId = enter(bob, bobWeb, slug, "Bob");
            String spareTicket = bobWeb.joinTicket(slug, "Bob again");

            hostClient.send(moderate("remove", adaId));
            JsonNode removed = ada.next("moderated");
            assertThat(removed.path("action").asText()).isEqualTo("remove");
            assertThat(removed.has("admin")).as("a host in the meeting is no admin from the live view").isFalse();
            assertThat(ada.next("bye").path("reason").asText()).isEqualTo("removed");
            JsonNode left = bob.next("participant-left");
            assertThat(left.path("participantId").asText()).isEqualTo(adaId);
            assertThat(left.path("reason").asText()).isEqualTo("removed");
            try (SignalingClient adaAgain = SignalingClient.connect(port)) {
                enter(adaAgain, adaWeb, slug, "Ada");
            }

            hostClient.send(banish(bobId));
            JsonNode banned = bob.next("moderated");
            assertThat(banned.path("ban").asBoolean()).isTrue();
            assertThat(bob.next("bye").path("reason").asText()).isEqualTo("banned");
            WebSession.Page refused = bobWeb.submit("/r/" + slug, "/r/" + slug + "/ticket",
                    Map.of("displayName", "Bob"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("\"error\":\"banned\"");
            try (SignalingClient sneaky = SignalingClient.connect(port)) {
                sneaky.send(join(spareTicket));
                assertThat(sneaky.expectError("banned").path("ref").asText()).isEqualTo("join");
            }
            try (SignalingClient someoneElse = SignalingClient.connect(port)) {
                enter(someoneElse, new WebSession(port), slug, "Cyd");
            }
        }
        assertThat(auditOf(slug)).extracting(AuditEvent::getAction)
                .contains("MEETING_PARTICIPANT_REMOVED", "MEETING_PARTICIPANT_BANNED");
    }

    /**
     * A ban keeps out the person, not one tab: their other tabs in the meeting and in the lobby go with it (the lobby's
     * would otherwise have been let in by the next admit-all). A host who signs in on that browser later still comes
     * in: a ban is never a host's.
     */
    @Test
    void aBanTakesThePersonsOtherTabsOutOfTheRoomAndTheLobbyButNeverKeepsAHostOut() {
        String slug = openRoom(false);
        WebSession guest = new WebSession(port);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient tab = SignalingClient.connect(port);
             SignalingClient otherTab = SignalingClient.connect(port);
             SignalingClient knockingTab = SignalingClient.connect(port);
             SignalingClient stranger = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            String tabId = enter(tab, guest, slug, "Gus");
            String otherTabId = enter(otherTab, guest, slug, "Gus on his phone");
            hostClient.send(moderate("lock", null));
            hostClient.next("room-state");
            knockingTab.send(join(guest.joinTicket(slug, "Gus again")));
            knockingTab.next("lobby");
            String knockingId = hostClient.next("lobby-request").path("participant").path("id").asText();
            stranger.send(join(new WebSession(port).joinTicket(slug, "Stella")));
            stranger.next("lobby");
            String strangerId = hostClient.next("lobby-request").path("participant").path("id").asText();

            hostClient.send(banish(tabId));
            assertThat(tab.next("bye").path("reason").asText()).isEqualTo("banned");
            assertThat(otherTab.next("moderated").path("ban").asBoolean()).isTrue();
            assertThat(otherTab.next("bye").path("reason").asText()).as("the same browser's other tab").isEqualTo("banned");
            assertThat(knockingTab.next("bye").path("reason").asText()).as("and its tab in the lobby")
                    .isEqualTo("banned");
            List<String> left = List.of(hostClient.next("participant-left").path("participantId").asText(),
                    hostClient.next("participant-left").path("participantId").asText());
            assertThat(left).containsExactlyInAnyOrder(tabId, otherTabId);
            assertThat(hostClient.next("lobby-resolved").path("participantId").asText()).isEqualTo(knockingId);

            hostClient.send(moderate("admit-all", null));
            stranger.next("welcome");
            assertThat(hostClient.next("lobby-resolved").path("participantId").asText()).isEqualTo(strangerId);
        }

        guest.login(hostAccount.getEmail(), Fixtures.PASSWORD);
        try (SignalingClient hostOnThatBrowser = SignalingClient.connect(port)) {
            enter(hostOnThatBrowser, guest, slug, "The Host, borrowing");
        }
    }

    @Test
    void aBannedAccountIsKeptOutFromAnyBrowserAndNobodyRemovesAHost() {
        String slug = openRoom(false);
        Fixtures.SignedIn member = fixtures.signedIn(Role.MEMBER, "banned-member");
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient admin = SignalingClient.connect(port);
             SignalingClient mel = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host, slug, "The Host");
            String adminId = enter(admin, fixtures.signIn(fixtures.user(Role.ADMIN)), slug, "An Admin");
            String melId = enter(mel, member.session(), slug, "Mel");
            admin.send(banish(hostId));
            assertThat(admin.expectError("not-allowed").path("message").asText()).contains("host");
            hostClient.send(moderate("remove", adminId));
            hostClient.expectError("not-allowed");

            hostClient.send(banish(melId));
            assertThat(mel.next("bye").path("reason").asText()).isEqualTo("banned");
            WebSession elsewhere = fixtures.signIn(member.account());
            WebSession.Page refused = elsewhere.submit("/r/" + slug, "/r/" + slug + "/ticket",
                    Map.of("displayName", "Mel"));
            assertThat(refused.status()).as("the account, from another browser").isEqualTo(403);
            assertThat(refused.body()).contains("banned");
        }
        AuditEvent banned = auditOf(slug).stream().filter(e -> e.getAction().equals("MEETING_PARTICIPANT_BANNED"))
                .findFirst().orElseThrow();
        assertThat(banned.getTarget()).isEqualTo(member.account().getEmail());
    }

    @Test
    void aLockedMeetingSendsNewcomersToTheLobbyUntilAdmittedAndUnlockingLetsThemStraightIn() {
        String slug = openRoom(false);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port);
             SignalingClient cyd = SignalingClient.connect(port);
             SignalingClient dee = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            enter(ada, new WebSession(port), slug, "Ada");
            hostClient.send(moderate("lock", null));
            assertThat(hostClient.next("room-state").path("locked").asBoolean()).isTrue();
            assertThat(ada.next("room-state").path("locked").asBoolean()).isTrue();

            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            assertThat(bob.next("lobby").path("state").asText()).as("a room without a lobby, locked").isEqualTo("locked");
            cyd.send(join(new WebSession(port).joinTicket(slug, "Cyd")));
            cyd.next("lobby");
            hostClient.next("lobby-request");
            hostClient.next("lobby-request");
            try (SignalingClient secondHost = SignalingClient.connect(port)) {
                enter(secondHost, host, slug, "The Host's phone");
                assertThat(secondHost.next("room-state").path("locked").asBoolean()).as("told after welcome").isTrue();
            }

            hostClient.send(moderate("admit-all", null));
            bob.next("welcome");
            assertThat(bob.next("room-state").path("locked").asBoolean()).isTrue();
            cyd.next("welcome");
            hostClient.next("lobby-resolved");
            hostClient.next("lobby-resolved");

            assertThat(cyd.next("room-state").path("locked").asBoolean()).isTrue();
            hostClient.send(moderate("unlock", null));
            assertThat(cyd.next("room-state").path("locked").asBoolean()).isFalse();
            enter(dee, new WebSession(port), slug, "Dee");
        }
        assertThat(auditOf(slug)).extracting(AuditEvent::getAction)
                .contains("MEETING_LOCKED", "MEETING_LOBBY_ADMITTED_ALL", "MEETING_UNLOCKED");
    }

    @Test
    void endingTheMeetingSendsEveryoneOutTheLobbyTooAndTheMeetingIsOver() {
        String slug = openRoom(true);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient waiting = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host, slug, "The Host");
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("lobby");
            String adaId = hostClient.next("lobby-request").path("participant").path("id").asText();
            hostClient.send(Map.of("type", "lobby-decision", "participantId", adaId, "admit", true));
            ada.next("welcome");
            waiting.send(join(new WebSession(port).joinTicket(slug, "Wes")));
            waiting.next("lobby");

            hostClient.send(moderate("end", null));
            JsonNode notice = ada.next("moderated");
            assertThat(notice.path("action").asText()).isEqualTo("end");
            assertThat(notice.path("by").path("participantId").asText()).isEqualTo(hostId);
            assertThat(ada.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            assertThat(waiting.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            assertThat(hostClient.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            ada.awaitClose(Duration.ofSeconds(5));
            waiting.awaitClose(Duration.ofSeconds(5));
        }
        awaitGone(roomId);
        assertThat(auditOf(slug)).extracting(AuditEvent::getAction).contains("MEETING_ENDED");
    }

    @Test
    void coHostsHaveTheControlsButForEndingAndNamingCoHostsAndNotOverHosts() {
        String slug = openRoom(false);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port);
             SignalingClient cyd = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host, slug, "The Host");
            String adaId = enter(ada, new WebSession(port), slug, "Ada");
            String bobId = enter(bob, new WebSession(port), slug, "Bob");

            hostClient.send(moderate("make-cohost", adaId));
            assertThat(ada.next("moderated").path("action").asText()).isEqualTo("make-cohost");
            assertThat(updateOf(bob, adaId).path("cohost").asBoolean()).as("everyone sees the co-host").isTrue();
            assertThat(updateOf(ada, adaId).path("cohost").asBoolean()).isTrue();

            ada.send(moderate("mute", bobId));
            assertThat(bob.next("moderated").path("by").path("displayName").asText()).isEqualTo("Ada");
            for (Map<String, Object> refused : List.of(moderate("end", null), moderate("make-cohost", bobId),
                    moderate("revoke-cohost", adaId), moderate("mute", hostId), moderate("remove", hostId),
                    moderate("stop-camera", hostId))) {
                ada.send(refused);
                ada.expectError("not-allowed");
            }
            ada.send(moderate("lock", null));
            bob.next("room-state");
            cyd.send(join(new WebSession(port).joinTicket(slug, "Cyd")));
            cyd.next("lobby");
            String cydId = ada.next("lobby-request").path("participant").path("id").asText();
            ada.send(Map.of("type", "lobby-decision", "participantId", cydId, "admit", true));
            cyd.next("welcome");

            hostClient.send(moderate("revoke-cohost", adaId));
            assertThat(ada.next("moderated").path("action").asText()).isEqualTo("revoke-cohost");
            assertThat(updateOf(ada, adaId).path("cohost").asBoolean()).isFalse();
            ada.send(moderate("mute", cydId));
            ada.expectError("not-allowed");
            hostClient.send(moderate("make-cohost", hostId));
            hostClient.expectError("bad-message");
        }
        AuditEvent granted = auditOf(slug).stream().filter(e -> e.getAction().equals("MEETING_COHOST_GRANTED"))
                .findFirst().orElseThrow();
        assertThat(granted.getTarget()).isEqualTo("guest \"Ada\"");
        AuditEvent byCohost = auditOf(slug).stream().filter(e -> e.getAction().equals("MEETING_MUTED"))
                .findFirst().orElseThrow();
        assertThat(byCohost.getActor()).as("a guest co-host is named by the name they gave").isEqualTo("guest \"Ada\"");
        assertThat(byCohost.getActorId()).isNull();
    }

    @Test
    void aHostDemotedWhileInTheMeetingLosesTheControlsAtOnce() {
        String slug = openRoom(false);
        long adminId = fixtures.user(Role.ADMIN).getId();
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port)) {
            String hostId = enter(hostClient, host, slug, "The Host");
            String adaId = enter(ada, new WebSession(port), slug, "Ada");
            accounts.changeRole(hostAccount.getId(), Role.MEMBER, adminId);
            assertThat(updateOf(hostClient, hostId).path("host").asBoolean()).isFalse();
            hostClient.send(moderate("mute", adaId));
            hostClient.expectError("not-allowed");
            assertThat(untilPong(ada, "moderated")).isEmpty();
        }
    }

    @Test
    void theRoomPageWarnsThatCancellingEndsTheMeetingUnderWayAndGuestsAreToldItEnded() {
        String slug = openRoom(false);
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient ada = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            enter(ada, new WebSession(port), slug, "Ada");
            WebSession.Page page = host.get("/rooms/" + roomId);
            assertThat(page.text("room-live")).contains("2 people");
            String confirm = page.html().selectFirst("form[action$=/cancel]").attr("data-confirm");
            assertThat(confirm).contains("under way").contains("2 people");
            assertThat(host.get("/rooms/" + roomId + "/delete").text("room-live")).contains("2 people");

            WebSession.Page cancelled = host.submit("/rooms/" + roomId, "/rooms/" + roomId + "/cancel", Map.of());
            assertThat(cancelled.isRedirect()).as("cancelled: %s", cancelled.status()).isTrue();
            assertThat(ada.next("bye").path("reason").asText()).isEqualTo("room-closed");
        }
        WebSession.Page quiet = host.get("/rooms/" + roomId);
        assertThat(quiet.has("room-live")).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private void awaitGone(long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (liveRooms.find(id).isPresent()) {
            assertThat(System.nanoTime()).as("the live room ends once everyone is out").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String enter(SignalingClient client, WebSession web, String slug, String name) {
        client.send(join(web.joinTicket(slug, name)));
        return client.next("welcome").path("participantId").asText();
    }

    /** The next participant-updated about that participant. */
    static JsonNode updateOf(SignalingClient client, String participantId) {
        while (true) {
            JsonNode update = client.next("participant-updated").path("participant");
            if (update.path("id").asText().equals(participantId)) {
                return update;
            }
        }
    }

    /**
     * Hands {@code each} what the client hears of these types until {@code heardAll} holds (within 20 s), then what
     * it hears of them before the answer to a ping sent at that point: so everything told by then is checked too.
     */
    private static void hear(SignalingClient client, BooleanSupplier heardAll, Consumer<JsonNode> each,
            String... types) {
        hear(client, () -> "", heardAll, each, types);
    }

    /** As {@link #hear}, failing with {@code soFar}'s account of what was heard when not all came in time. */
    private static void hear(SignalingClient client, Supplier<String> soFar, BooleanSupplier heardAll,
            Consumer<JsonNode> each, String... types) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!heardAll.getAsBoolean()) {
            JsonNode message;
            try {
                message = client.nextAny(Duration.ofNanos(deadline - System.nanoTime()));
            } catch (AssertionError silence) {
                throw new AssertionError(silence.getMessage() + "; " + soFar.get(), silence);
            }
            if (List.of(types).contains(message.path("type").asText())) {
                each.accept(message);
            }
        }
        untilPong(client, types).forEach(each);
    }

    /** The messages of these types that came before the answer to a ping sent now. */
    static List<JsonNode> untilPong(SignalingClient client, String... types) {
        client.send(Map.of("type", "ping", "id", 77));
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode next = client.nextAny(Duration.ofSeconds(10));
            String type = next.path("type").asText();
            if (type.equals("pong")) {
                return seen;
            }
            if (List.of(types).contains(type)) {
                seen.add(next);
            }
        }
    }

    private List<AuditEvent> auditOf(String slug) {
        return audit.findAll().stream().filter(e -> e.getAction().startsWith("MEETING_"))
                .filter(e -> e.getDetails() != null && e.getDetails().startsWith("room " + slug)).toList();
    }

    private String openRoom(boolean lobby) {
        Map<String, String> form = RoomForms.valid("Host controls", ZoneId.of("UTC"), 1);
        if (lobby) {
            form.put("lobbyEnabled", "true");
        }
        roomId = RoomForms.schedule(host, form);
        return rooms.findById(roomId).orElseThrow().getSlug();
    }

    static Map<String, Object> moderate(String action, String participantId) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "moderate");
        message.put("action", action);
        if (participantId != null) {
            message.put("participantId", participantId);
        }
        return message;
    }

    private static Map<String, Object> banish(String participantId) {
        Map<String, Object> message = moderate("remove", participantId);
        message.put("ban", true);
        return message;
    }
}
