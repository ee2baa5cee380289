package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.common.AttemptLimits;
import dev.parley.meeting.ClientMessage.Join;
import dev.parley.meeting.ClientMessage.LobbyDecision;
import dev.parley.meeting.Entrant.State;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomClock;
import dev.parley.rooms.RoomProperties;
import dev.parley.rooms.RoomService;
import dev.parley.turn.TurnServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The join and lobby rules with no WebSocket: entrants whose messages land in a queue, real tickets, live rooms, room
 * rules and meeting service (over a relay on loopback); only the room and account lookups are stubbed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeetingAdmissionTest {

    private final Clock clock = Clock.systemUTC();
    private final JoinTickets tickets = new JoinTickets(new ObjectMapper(), clock, "admission-test-secret");
    private final RoomService rooms = mock(RoomService.class);
    private final UserAccountRepository users = mock(UserAccountRepository.class);
    private final LiveRooms liveRooms = new LiveRooms();
    private Relay relay;
    private MeetingService meetings;
    private MeetingAdmission admission;
    private Room room;
    private UserAccount hostAccount;

    /** A client: what it was sent, in order, and whether it was closed. */
    static final class Client implements SignalingPeer {
        final BlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
        volatile ByeReason closedWith;

        @Override
        public void send(ServerMessage message) {
            inbox.add(message);
        }

        @Override
        public void close(ByeReason reason) {
            closedWith = reason;
        }

        /** The next message of that type; others before it are skipped. */
        <T extends ServerMessage> T next(Class<T> type) throws InterruptedException {
            ServerMessage message;
            while ((message = inbox.poll(10, TimeUnit.SECONDS)) != null) {
                if (type.isInstance(message)) {
                    return type.cast(message);
                }
            }
            throw new AssertionError("no " + type.getSimpleName());
        }
    }

    @BeforeEach
    void start() throws Exception {
        relay = Relay.start(RelayConfig.loopback());
        ResumeTokens resumeTokens = new ResumeTokens();
        meetings = new MeetingService(liveRooms, relay, new MediaNodes(relay),
                new RelayMetrics(new SimpleMeterRegistry(), relay, liveRooms), resumeTokens,
                new ReconnectGrace(new MeetingProperties(Duration.ofSeconds(30))), TurnServers.none());
        RoomEntry entry = new RoomEntry(new RoomClock(clock, new RoomProperties(Duration.ofMinutes(10),
                Duration.ofHours(1), "")));
        admission = new MeetingAdmission(tickets, rooms, entry, users, meetings, liveRooms, resumeTokens,
                new ResumeAttempts(clock, AttemptLimits.inMemory()), new MeetingBans(clock),
                new MeetingChat(clock, new MeetingProperties(Duration.ofSeconds(30)), null, null), clock);

        hostAccount = new UserAccount("host@example.org", "Hostess", "x", Role.HOST, clock.instant());
        ReflectionTestUtils.setField(hostAccount, "id", 11L);
        when(users.findById(11L)).thenReturn(Optional.of(hostAccount));
        room = new Room("admission-room", hostAccount, clock.instant());
        ReflectionTestUtils.setField(room, "id", 5L);
        room.setTitle("Admission");
        room.setStartsAt(clock.instant().minusSeconds(60));
        room.setTimeZone("UTC");
        room.setDurationMinutes(60);
        room.setWeeklyOccurrences(1);
        room.setGuestsAllowed(true);
        room.setLobbyEnabled(true);
        room.setMaxParticipants(10);
        when(rooms.bySlug("admission-room")).thenReturn(Optional.of(room));
    }

    @AfterEach
    void stop() {
        meetings.stopRelayEvents();
        relay.close();
    }

    private Join ticketFor(Long userId, String name) {
        return new Join(tickets.issue(room.getId(), room.getSlug(), userId, name, false), true, true);
    }

    private Entrant host(Client client) {
        Entrant host = new Entrant(client, 11L);
        admission.join(host, ticketFor(11L, "Hostess"));
        return host;
    }

    @Test
    void aGuestWaitsInTheLobbyUntilAHostLetsThemIn() throws Exception {
        Client hostClient = new Client();
        Entrant host = host(hostClient);
        assertThat(host.state()).isEqualTo(State.JOINED);
        assertThat(hostClient.next(ServerMessage.Welcome.class).host()).isTrue();

        Client guestClient = new Client();
        Entrant guest = new Entrant(guestClient, null);
        admission.join(guest, ticketFor(null, "Guest"));
        assertThat(guest.state()).isEqualTo(State.LOBBY);
        assertThat(guestClient.next(ServerMessage.Lobby.class).state()).isEqualTo("waiting");
        String guestId = hostClient.next(ServerMessage.LobbyRequest.class).participant().id();
        assertThat(guestId).isEqualTo(guest.participant().id());
        assertThatThrownBy(() -> admission.checkAllowed(guest, ClientMessage.MediaState.class))
                .hasFieldOrPropertyWithValue("code", "not-joined");

        admission.decideLobby(host, new LobbyDecision(guestId, true));
        assertThat(hostClient.next(ServerMessage.LobbyResolved.class).participantId()).isEqualTo(guestId);
        assertThat(guestClient.next(ServerMessage.Welcome.class).participantId()).isEqualTo(guestId);
        assertThat(guest.state()).isEqualTo(State.JOINED);
        assertThatCode(() -> admission.checkAllowed(guest, ClientMessage.MediaState.class)).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.checkAllowed(guest, Join.class))
                .hasFieldOrPropertyWithValue("code", "already-joined");
    }

    @Test
    void onlyHostsDecideAndATurnedAwayGuestIsClosed() throws Exception {
        Client hostClient = new Client();
        Entrant host = host(hostClient);
        Entrant first = new Entrant(new Client(), null);
        admission.join(first, ticketFor(null, "First"));
        admission.decideLobby(host, new LobbyDecision(first.participant().id(), true));
        Client secondClient = new Client();
        Entrant second = new Entrant(secondClient, null);
        admission.join(second, ticketFor(null, "Second"));

        LobbyDecision letIn = new LobbyDecision(second.participant().id(), true);
        assertThatThrownBy(() -> admission.checkAllowed(first, LobbyDecision.class))
                .hasFieldOrPropertyWithValue("code", "forbidden");
        assertThatThrownBy(() -> admission.decideLobby(first, letIn)).hasFieldOrPropertyWithValue("code", "forbidden");
        assertThat(second.state()).as("a guest's decision changes nothing").isEqualTo(State.LOBBY);

        admission.decideLobby(host, new LobbyDecision(second.participant().id(), false));
        assertThat(second.state()).isEqualTo(State.CLOSED);
        assertThat(secondClient.closedWith).isEqualTo(ByeReason.DENIED);
        assertThatThrownBy(() -> admission.decideLobby(host, letIn))
                .hasFieldOrPropertyWithValue("code", "bad-message").hasMessage("Nobody with that id is waiting.");
    }

    @Test
    void leavingTheLobbyTellsTheHosts() throws Exception {
        Client hostClient = new Client();
        host(hostClient);
        Entrant guest = new Entrant(new Client(), null);
        admission.join(guest, ticketFor(null, "Guest"));
        admission.depart(guest, "disconnected");
        assertThat(hostClient.next(ServerMessage.LobbyResolved.class).participantId())
                .isEqualTo(guest.participant().id());
        assertThat(liveRooms.find(room.getId()).orElseThrow().waiting()).isEmpty();
        assertThatCode(() -> admission.depart(guest, "disconnected")).doesNotThrowAnyException();
    }

    @Test
    void ticketsAreCheckedAndSpent() {
        room.setLobbyEnabled(false);
        Join join = ticketFor(null, "Once");
        admission.join(new Entrant(new Client(), null), join);
        assertThatThrownBy(() -> admission.join(new Entrant(new Client(), null), join))
                .hasFieldOrPropertyWithValue("code", "ticket-invalid");
        assertThatThrownBy(() -> admission.join(new Entrant(new Client(), null), new Join("forged.ticket", true, true)))
                .hasFieldOrPropertyWithValue("code", "ticket-invalid");
        Entrant someoneElse = new Entrant(new Client(), 99L);
        assertThatThrownBy(() -> admission.join(someoneElse, ticketFor(11L, "Not mine")))
                .hasFieldOrPropertyWithValue("code", "forbidden");
        assertThat(someoneElse.state()).isEqualTo(State.NEW);
    }

    @Test
    void aFullRoomTurnsTheNextOneAwayAndTheyMayTryAgain() {
        room.setLobbyEnabled(false);
        room.setMaxParticipants(1);
        admission.join(new Entrant(new Client(), null), ticketFor(null, "In"));
        Entrant late = new Entrant(new Client(), null);
        assertThatThrownBy(() -> admission.join(late, ticketFor(null, "Late")))
                .hasFieldOrPropertyWithValue("code", "room-full");
        assertThat(late.state()).isEqualTo(State.NEW);
        assertThat(liveRooms.participantCount(room.getId())).isEqualTo(1);
    }

    @Test
    void aCancelledRoomIsClosed() {
        room.setCancelledAt(clock.instant());
        assertThatThrownBy(() -> admission.join(new Entrant(new Client(), null), ticketFor(null, "Late")))
                .hasFieldOrPropertyWithValue("code", "room-closed");
    }

    @Test
    void aResumeGoesByTheAccountAsItIsNow() throws Exception {
        Client hostClient = new Client();
        Entrant host = host(hostClient);
        String token = hostClient.next(ServerMessage.Welcome.class).resumeToken();
        Participant participant = host.participant();
        admission.lost(host);
        assertThat(participant.connection()).isEqualTo(Participant.Connection.RECONNECTING);
        assertThat(host.state()).isEqualTo(State.CLOSED);

        Entrant someoneElse = new Entrant(new Client(), 99L);
        assertThatThrownBy(() -> admission.resume(someoneElse, new ClientMessage.Resume(token, room.getSlug())))
                .hasFieldOrPropertyWithValue("code", "forbidden");
        assertThat(someoneElse.state()).isEqualTo(State.NEW);

        // The password was changed since the join (the session epoch went up): no resume, and the place is given up.
        hostAccount.endSessions();
        Entrant back = new Entrant(new Client(), 11L);
        assertThatThrownBy(() -> admission.resume(back, new ClientMessage.Resume(token, room.getSlug())))
                .hasFieldOrPropertyWithValue("code", "forbidden");
        assertThat(liveRooms.find(room.getId())).as("the host left as removed").isEmpty();
    }

    @Test
    void aResumeGivesThePlaceBackAndTheNextToken() throws Exception {
        Client hostClient = new Client();
        Entrant host = host(hostClient);
        String token = hostClient.next(ServerMessage.Welcome.class).resumeToken();
        Entrant guest = new Entrant(new Client(), null);
        admission.join(guest, ticketFor(null, "Guest"));
        hostClient.next(ServerMessage.LobbyRequest.class);
        admission.lost(host);

        Client backClient = new Client();
        Entrant back = new Entrant(backClient, 11L);
        admission.resume(back, new ClientMessage.Resume(token, room.getSlug()));
        ServerMessage.Resumed resumed = backClient.next(ServerMessage.Resumed.class);
        assertThat(resumed.participantId()).isEqualTo(host.participant().id());
        assertThat(resumed.host()).isTrue();
        assertThat(resumed.resumeToken()).isNotEqualTo(token);
        assertThat(resumed.toString()).doesNotContain(resumed.resumeToken());
        assertThat(backClient.next(ServerMessage.LobbyRequest.class).participant().displayName())
                .as("a host is told again who waits").isEqualTo("Guest");
        assertThat(back.state()).isEqualTo(State.JOINED);
        assertThat(back.participant().connection()).isEqualTo(Participant.Connection.CONNECTED);
        assertThat(back.participant().peer()).isSameAs(back);
        assertThatThrownBy(() -> admission.checkAllowed(back, ClientMessage.Resume.class))
                .hasFieldOrPropertyWithValue("code", "already-joined");
        assertThatThrownBy(() -> admission.resume(new Entrant(new Client(), null),
                new ClientMessage.Resume(token, room.getSlug()))).hasFieldOrPropertyWithValue("code", "resume-invalid");
    }

    @Test
    void failedResumesAreLimitedByAddress() {
        Entrant guesser = new Entrant(new Client(), null, "203.0.113.9");
        for (int i = 0; i < ResumeAttempts.MAX_FAILURES; i++) {
            String guess = "guess-" + i;
            assertThatThrownBy(() -> admission.resume(guesser, new ClientMessage.Resume(guess, room.getSlug())))
                    .hasFieldOrPropertyWithValue("code", "resume-invalid");
        }
        assertThatThrownBy(() -> admission.resume(guesser, new ClientMessage.Resume("one-more", room.getSlug())))
                .hasFieldOrPropertyWithValue("code", "rate-limited");
        assertThatThrownBy(() -> admission.resume(new Entrant(new Client(), null, "203.0.113.10"),
                new ClientMessage.Resume("another", room.getSlug()))).hasFieldOrPropertyWithValue("code", "resume-invalid");
    }
}
