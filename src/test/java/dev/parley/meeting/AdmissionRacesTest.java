package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import dev.parley.turn.IceServer;
import dev.parley.turn.TurnProperties;
import dev.parley.turn.TurnServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Letting someone in while others come and go. Here the joiner's TURN credentials are slow to make (a real step of the
 * join), and something happens meanwhile.
 * <ul>
 *   <li>A participant let in hears of the room in order: its welcome (or resumed) lists the others as they are then,
 *       and every change after it comes after it. The page starts its list afresh at a welcome, so a participant-left
 *       that came before it would be lost, and the one who left would stay on the list for good.</li>
 *   <li>A guest whose socket closes while a host lets it in does not stay in the room as a ghost; one whose socket
 *       closes the moment its welcome arrives keeps its place, to resume.</li>
 *   <li>A guest let in as the meeting ends goes into the room's next meeting, not the one that ended; one a host
 *       lets in from the lobby as someone else ends it is sent away as the others were.</li>
 * </ul>
 */
@ParleyWebTest
class AdmissionRacesTest {

    /** TURN credentials that wait, when asked to, until the test lets them go on. */
    @TestConfiguration
    static class SlowTurnCredentials {
        @Bean
        @Primary
        HeldTurnServers heldTurnServers(TurnProperties properties, Clock clock) {
            return new HeldTurnServers(properties, clock);
        }
    }

    static final class HeldTurnServers extends TurnServers {
        private volatile CountDownLatch reached;
        private volatile CountDownLatch released;

        HeldTurnServers(TurnProperties properties, Clock clock) {
            super(properties, clock);
        }

        /** The next request for credentials waits until {@link #release}; {@link #awaitHeld} tells when it does. */
        void holdNext() {
            released = new CountDownLatch(1);
            reached = new CountDownLatch(1);
        }

        boolean awaitHeld() throws InterruptedException {
            return reached.await(10, TimeUnit.SECONDS);
        }

        void release() {
            CountDownLatch latch = released;
            if (latch != null) {
                latch.countDown();
            }
        }

        @Override
        public List<IceServer> forPeer(String id) {
            CountDownLatch wait = released;
            if (wait != null && reached.getCount() > 0) {
                reached.countDown();
                try {
                    wait.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.forPeer(id);
        }
    }

    /**
     * Drops right after a welcome. On the code before the fix, one round in seven to ten came before the admission's
     * last check on this machine (the test failed in round 7 and 9), so thirty rounds fail it nearly always.
     */
    private static final int DROP_ROUNDS = 30;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    HeldTurnServers turn;

    @Autowired
    LiveRooms liveRooms;

    private WebSession hostSession;
    private long roomId;

    @AfterEach
    void letGo() {
        turn.release();
    }

    @Test
    void someoneWhoLeavesWhileAnotherJoinsIsNotOnTheJoinersList() throws Exception {
        String slug = openRoom();
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient ben = SignalingClient.connect(port);
             SignalingClient cyd = SignalingClient.connect(port)) {
            enter(ada, slug, "Ada");
            String benId = enter(ben, slug, "Ben");
            String cydTicket = new WebSession(port).joinTicket(slug, "Cyd");

            CompletableFuture<?> joining = joinHeld("Cyd's join", cyd, cydTicket);
            leaveWhileHeld(ben, benId, ada, joining);

            assertThat(listAfterWelcome(cyd, "welcome", new ArrayList<>()))
                    .as("Cyd's list once she has heard everything").doesNotContain(benId).hasSize(1);
        }
    }

    @Test
    void someoneWhoLeavesWhileAnotherResumesIsNotOnTheResumersList() throws Exception {
        String slug = openRoom();
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient ben = SignalingClient.connect(port);
             SignalingClient cyd = SignalingClient.connect(port)) {
            enter(ada, slug, "Ada");
            String benId = enter(ben, slug, "Ben");
            cyd.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Cyd")));
            String resumeToken = cyd.next("welcome").path("resumeToken").asText();
            cyd.close();
            ada.next("participant-updated"); // Cyd is reconnecting

            try (SignalingClient again = SignalingClient.connect(port)) {
                turn.holdNext();
                CompletableFuture<?> resuming = again.sendAsync(Map.of("type", "resume", "slug", slug,
                        "token", resumeToken));
                awaitHeld("Cyd's resume", again);
                leaveWhileHeld(ben, benId, ada, resuming);

                List<String> after = new ArrayList<>();
                assertThat(listAfterWelcome(again, "resumed", after)).as("Cyd's list once she has heard everything")
                        .doesNotContain(benId).hasSize(1);
                // The speaker and last-N as they are now, though nobody speaks and everyone's video is sent: what her
                // page knew from before the drop may have changed meanwhile.
                assertThat(after).contains("active-speaker", "forwarded-video");
            }
        }
    }

    @Test
    void aGuestWhoseSocketClosesWhileAHostLetsItInDoesNotStayInTheRoom() throws Exception {
        String slug = openRoom(true);
        try (SignalingClient host = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port)) {
            host.send(SignalingClient.join(hostSession.joinTicket(slug, "Hosting")));
            host.next("welcome");
            guest.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Guest")));
            guest.next("lobby");
            String guestId = host.next("lobby-request").path("participant").path("id").asText();

            turn.holdNext();
            host.send(Map.of("type", "lobby-decision", "participantId", guestId, "admit", true));
            awaitHeld("The host's admission", host);
            guest.close();
            Thread.sleep(1000); // the server hears of the close meanwhile (nothing it sends tells when)
            turn.release();

            // Without the check after letting it in, the guest stayed until its media transport gave up (30 s).
            JsonNode left = host.next("participant-left", Duration.ofSeconds(10));
            assertThat(left.path("participantId").asText()).isEqualTo(guestId);
            host.send(Map.of("type", "ping", "id", 98));
            for (JsonNode message = host.nextAny(Duration.ofSeconds(10)); !message.path("type").asText().equals("pong");
                 message = host.nextAny(Duration.ofSeconds(10))) {
                assertThat(message.path("type").asText() + " " + message.path("participant").path("id").asText())
                        .as("nothing brings the guest back onto the host's list").isNotEqualTo("participant-joined "
                                + guestId);
            }
        }
    }

    /**
     * A guest's join waits at its credentials while the host ends the meeting, which leaves it empty: the guest goes
     * into the room's next meeting, where whoever comes later finds it. (Before, it was let into the meeting that had
     * ended, alone there for good, and those who came later started another.)
     */
    @Test
    void aGuestLetInAsTheMeetingEndsIsInTheNextMeetingWithThoseWhoComeLater() throws Exception {
        String slug = openRoom();
        try (SignalingClient host = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port)) {
            host.send(SignalingClient.join(hostSession.joinTicket(slug, "Hosting")));
            host.next("welcome");
            String guestTicket = new WebSession(port).joinTicket(slug, "Guest");

            CompletableFuture<?> joining = joinHeld("The guest's join", guest, guestTicket);
            host.send(Map.of("type", "moderate", "action", "end"));
            assertThat(host.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            turn.release();
            joining.get(10, TimeUnit.SECONDS);
            String guestId = guest.next("welcome").path("participantId").asText();

            try (SignalingClient later = SignalingClient.connect(port)) {
                later.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Later")));
                JsonNode welcome = later.next("welcome");
                List<String> others = new ArrayList<>();
                welcome.path("participants").forEach(p -> others.add(p.path("id").asText()));
                assertThat(others).as("the one who comes later finds the guest").containsExactly(guestId);
                assertThat(guest.next("participant-joined").path("participant").path("displayName").asText())
                        .as("and the guest hears of it").isEqualTo("Later");
                guest.send(Map.of("type", "leave"));
                assertThat(later.next("participant-left").path("participantId").asText()).isEqualTo(guestId);
            }
        }
    }

    /**
     * A guest's join waits at its credentials while the host cancels the room, which ends its meeting: the guest is
     * refused as a join after the cancel is, and no meeting starts again in the cancelled room.
     */
    @Test
    void aGuestWhoseJoinWaitsAsTheRoomIsCancelledIsRefused() throws Exception {
        String slug = openRoom();
        try (SignalingClient host = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port)) {
            host.send(SignalingClient.join(hostSession.joinTicket(slug, "Hosting")));
            host.next("welcome");
            String guestTicket = new WebSession(port).joinTicket(slug, "Guest");

            CompletableFuture<?> joining = joinHeld("The guest's join", guest, guestTicket);
            WebSession.Page page = hostSession.get("/rooms/" + roomId);
            assertThat(hostSession.post("/rooms/" + roomId + "/cancel", page.csrfToken(), Map.of()).status())
                    .isEqualTo(302);
            assertThat(host.next("bye").path("reason").asText()).isEqualTo("room-closed");
            turn.release();
            joining.get(10, TimeUnit.SECONDS);

            JsonNode told = guest.nextAny(Duration.ofSeconds(10));
            assertThat(told.path("type").asText() + " " + told.path("code").asText()).as("the guest hears %s", told)
                    .isEqualTo("error room-closed");
            assertThat(liveRooms.find(roomId)).as("no meeting in the cancelled room").isEmpty();
        }
    }

    /**
     * A host lets a guest in from the lobby, and an admin ends the meeting while the guest's admission waits at its
     * credentials: the guest, out of the lobby already, is sent away as everyone else was (bye meeting-ended), not let
     * into the meeting that ended, nor left joined to nothing.
     */
    @Test
    void aGuestLetInFromTheLobbyAsTheMeetingEndsIsSentAwayWithEveryoneElse() throws Exception {
        String slug = openRoom(true);
        WebSession admin = fixtures.signIn(fixtures.user(Role.ADMIN));
        try (SignalingClient host = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port)) {
            host.send(SignalingClient.join(hostSession.joinTicket(slug, "Hosting")));
            host.next("welcome");
            guest.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Guest")));
            guest.next("lobby");
            String guestId = host.next("lobby-request").path("participant").path("id").asText();

            turn.holdNext();
            host.send(Map.of("type", "lobby-decision", "participantId", guestId, "admit", true));
            awaitHeld("The host's admission", host);
            WebSession.Page ended = admin.post("/admin/live/rooms/" + roomId + "/end",
                    admin.get("/admin/live").csrfToken(), Map.of());
            assertThat(ended.status()).isEqualTo(302);
            assertThat(host.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            turn.release();

            JsonNode told = guest.nextAny(Duration.ofSeconds(10));
            assertThat(told.path("type").asText() + " " + told.path("reason").asText()).as("the guest hears %s", told)
                    .isEqualTo("bye meeting-ended");
            assertThat(guest.awaitClose(Duration.ofSeconds(10))).as("and its socket is closed").isPositive();
        }
    }

    @Test
    void aPageWhoseSocketDropsTheMomentItsWelcomeArrivesResumesItsPlace() throws Exception {
        String slug = openRoom();
        HttpClient http = HttpClient.newHttpClient();
        try (SignalingClient ada = SignalingClient.connect(port)) {
            enter(ada, slug, "Ada");
            // The drop races the rest of the admission on the server (the others told, the media transport opened):
            // each round gives it another chance to come before the admission's last check.
            for (int round = 0; round < DROP_ROUNDS; round++) {
                CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
                AtomicReference<SignalingClient> dropping = new AtomicReference<>();
                dropping.set(SignalingClient.open(http, URI.create("http://127.0.0.1:" + port), message -> {
                    if (message.path("type").asText().equals("welcome")) {
                        dropping.get().abort();
                        welcome.complete(message);
                    }
                }));
                dropping.get().send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Cyd " + round)));
                String cyd = welcome.get(10, TimeUnit.SECONDS).path("participantId").asText();
                try (SignalingClient again = SignalingClient.connect(port)) {
                    again.send(Map.of("type", "resume", "slug", slug, "token",
                            welcome.get().path("resumeToken").asText()));
                    JsonNode answer = again.nextAny(Duration.ofSeconds(10));
                    assertThat(answer.path("type").asText()).as("round %d: the page that had its welcome resumes; "
                            + "it heard %s", round, answer).isEqualTo("resumed");
                    again.send(Map.of("type", "leave"));
                    again.awaitClose(Duration.ofSeconds(10));
                }
                JsonNode left;
                do {
                    left = ada.next("participant-left");
                } while (!left.path("participantId").asText().equals(cyd));
                assertThat(left.path("reason").asText()).as("round %d: the others saw her go when she left, not "
                        + "before (her place taken from her as she resumed)", round).isEqualTo("left");
            }
        }
    }

    /**
     * While a join or resume waits at its credentials, {@code leaver} leaves and {@code watcher} is told; once the
     * server has closed the leaver's socket (everyone was told), the credentials go on and {@code held} is sent.
     */
    private void leaveWhileHeld(SignalingClient leaver, String leaverId, SignalingClient watcher,
            CompletableFuture<?> held) throws Exception {
        leaver.send(Map.of("type", "leave"));
        assertThat(watcher.next("participant-left").path("participantId").asText()).isEqualTo(leaverId);
        leaver.awaitClose(Duration.ofSeconds(10));
        turn.release();
        held.get(10, TimeUnit.SECONDS);
    }

    /** Waits until {@code what} reached the held credentials; else fails with what {@code client} heard. */
    /** Sends the join, which waits at its TURN credentials until {@code turn.release()}; returns once it is there. */
    private CompletableFuture<?> joinHeld(String what, SignalingClient client, String ticket)
            throws InterruptedException {
        turn.holdNext();
        CompletableFuture<?> joining = client.sendAsync(SignalingClient.join(ticket));
        awaitHeld(what, client);
        return joining;
    }

    private void awaitHeld(String what, SignalingClient client) throws InterruptedException {
        if (turn.awaitHeld()) {
            return;
        }
        List<String> heard = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                heard.add(client.nextAny(Duration.ofMillis(200)).toString());
            }
        } catch (AssertionError nothingMore) {
            // all it heard
        }
        throw new AssertionError(what + " did not reach the credentials in 10 s; the client heard " + heard);
    }

    /**
     * The others as a page keeps them: the list the first message ({@code first}, which must come first) names, then
     * the joins and leaves after it, until a ping's pong says there is nothing more; {@code types} gets the types of
     * the messages after the first.
     */
    private static Set<String> listAfterWelcome(SignalingClient client, String first, List<String> types) {
        JsonNode welcome = client.nextAny(Duration.ofSeconds(10));
        assertThat(welcome.path("type").asText()).as("the first message").isEqualTo(first);
        Set<String> others = new LinkedHashSet<>();
        welcome.path("participants").forEach(p -> others.add(p.path("id").asText()));
        client.send(Map.of("type", "ping", "id", 99));
        for (JsonNode message = client.nextAny(Duration.ofSeconds(10)); !message.path("type").asText().equals("pong");
             message = client.nextAny(Duration.ofSeconds(10))) {
            String type = message.path("type").asText();
            types.add(type);
            if (type.equals("participant-joined")) {
                others.add(message.path("participant").path("id").asText());
            } else if (type.equals("participant-left")) {
                others.remove(message.path("participantId").asText());
            }
        }
        return others;
    }

    private String openRoom() {
        return openRoom(false);
    }

    private String openRoom(boolean lobby) {
        hostSession = fixtures.signIn(fixtures.user(Role.HOST));
        Map<String, String> form = RoomForms.valid("Admission", ZoneId.of("UTC"), 1);
        if (lobby) {
            form.put("lobbyEnabled", "true");
        }
        roomId = RoomForms.schedule(hostSession, form);
        return rooms.findById(roomId).orElseThrow().getSlug();
    }

    private String enter(SignalingClient client, String slug, String name) {
        client.send(SignalingClient.join(new WebSession(port).joinTicket(slug, name)));
        return client.next("welcome").path("participantId").asText();
    }
}
