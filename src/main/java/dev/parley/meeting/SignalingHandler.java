package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportHandle;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomService;
import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The signalling endpoint /ws/signal (docs/signaling.md). Every message is checked for shape and against the state of
 * its connection; anything wrong gets an error reply and the connection stays up. Room rules are checked again at
 * join, from the ticket and the room as it is now.
 */
@Component
public class SignalingHandler extends TextWebSocketHandler {

    private static final long JOIN_DEADLINE_MILLIS = 10_000;
    private static final long IDLE_PING_MILLIS = 10_000;
    private static final long IDLE_CLOSE_MILLIS = 30_000;
    /**
     * Messages a connection may send at once, and per second in the long run. A meeting page sends a join, an answer
     * per offer (one at a time), a ping every 20 s, and a media-state or lobby-decision per click: a few a second
     * at the very most, far below this.
     */
    static final int MESSAGE_BURST = 50;
    static final int MESSAGES_PER_SECOND = 20;
    /** Refused messages a connection may send (refilled at one a second) before it is closed with bye rate-limited. */
    static final int REFUSALS_BEFORE_CLOSE = 20;
    private static final Logger log = LoggerFactory.getLogger(SignalingHandler.class);

    private final SignalingCodec codec;
    private final JoinTickets tickets;
    private final RoomService rooms;
    private final RoomEntry entry;
    private final UserAccountRepository users;
    private final MeetingService meetings;
    private final LiveRooms liveRooms;
    private final Relay relay;
    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    public SignalingHandler(SignalingCodec codec, JoinTickets tickets, RoomService rooms, RoomEntry entry,
                            UserAccountRepository users, MeetingService meetings, LiveRooms liveRooms, Relay relay,
                            Clock clock) {
        this.codec = codec;
        this.tickets = tickets;
        this.rooms = rooms;
        this.entry = entry;
        this.users = users;
        this.meetings = meetings;
        this.liveRooms = liveRooms;
        this.relay = relay;
        this.clock = clock;
    }

    /** One WebSocket: its state in the join protocol and, once joined, its participant. */
    final class Connection implements SignalingPeer {
        enum State { NEW, LOBBY, JOINED, CLOSED }

        final WebSocketSession session;
        final long openedAt;
        volatile long lastSeen;
        volatile State state = State.NEW;
        volatile Participant participant;
        volatile LiveRoom room;
        // Touched only by the thread delivering this connection's messages (one at a time, per the WebSocket API).
        final Bucket messages = Bucket.builder().addLimit(limit -> limit.capacity(MESSAGE_BURST)
                .refillGreedy(MESSAGES_PER_SECOND, Duration.ofSeconds(1))).build();
        final Bucket refusals = Bucket.builder().addLimit(limit -> limit.capacity(REFUSALS_BEFORE_CLOSE)
                .refillGreedy(1, Duration.ofSeconds(1))).build();
        boolean rateClosed;

        Connection(WebSocketSession raw) {
            this.session = new ConcurrentWebSocketSessionDecorator(raw, 5_000, 2 * 1024 * 1024);
            this.openedAt = clock.millis();
            this.lastSeen = openedAt;
        }

        @Override
        public void send(ServerMessage message) {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.sendMessage(new TextMessage(codec.write(message)));
            } catch (IOException | IllegalStateException e) {
                log.debug("Could not send to {}: {}", session.getId(), e.toString());
            }
        }

        @Override
        public void close(String reason) {
            send(new ServerMessage.Bye(reason));
            closeQuietly(CloseStatus.NORMAL);
        }

        void closeQuietly(CloseStatus status) {
            try {
                session.close(status);
            } catch (IOException e) {
                log.debug("closing {}", session.getId(), e);
            }
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        connections.put(session.getId(), new Connection(session));
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection == null) {
            return;
        }
        connection.lastSeen = clock.millis();
        if (!withinRate(connection)) {
            return;
        }
        String type = null;
        try {
            SignalingCodec.Envelope envelope = codec.open(message.getPayload());
            type = envelope.type();
            checkAllowed(connection, codec.kindOf(envelope));
            dispatch(connection, codec.read(envelope));
        } catch (Refusal refused) {
            connection.send(ServerMessage.Error.of(refused, type));
        } catch (RuntimeException e) {
            log.warn("Signalling message {} failed", type, e);
            error(connection, "internal", "The server could not handle this message.", type);
        }
    }

    /**
     * Refuses a message its sender may not send now, before its fields are read: join only once, the others but leave
     * and ping only once joined, lobby decisions only from hosts.
     */
    private static void checkAllowed(Connection connection, Class<? extends ClientMessage> kind) {
        if (kind == ClientMessage.Join.class) {
            if (connection.state != Connection.State.NEW) {
                throw new Refusal("already-joined", "This connection has joined already.");
            }
        } else if (kind != ClientMessage.Leave.class && kind != ClientMessage.Ping.class) {
            requireJoined(connection);
            if (kind == ClientMessage.LobbyDecision.class && !connection.participant.isHost()) {
                throw new Refusal("forbidden", "Only hosts decide who comes in.");
            }
        }
    }

    /** One message to what it asks for. (A switch over the sealed ClientMessage once Parley is on Java 21.) */
    private void dispatch(Connection connection, ClientMessage message) {
        if (message instanceof ClientMessage.Join join) {
            join(connection, join);
        } else if (message instanceof ClientMessage.Answer answer) {
            answer(connection, answer);
        } else if (message instanceof ClientMessage.MediaState state) {
            meetings.updateMediaState(connection.room, connection.participant, state.audio(), state.video());
        } else if (message instanceof ClientMessage.LobbyDecision decision) {
            lobbyDecision(connection, decision);
        } else if (message instanceof ClientMessage.Leave) {
            leave(connection);
        } else if (message instanceof ClientMessage.Ping ping) {
            connection.send(new ServerMessage.Pong(ping.id()));
        } else {
            throw new IllegalStateException("no handler for " + message);
        }
    }

    /**
     * The per-connection limit, checked before a message is even parsed. Over it, each message is refused with error
     * rate-limited; a connection that keeps going past {@link #REFUSALS_BEFORE_CLOSE} refusals gets bye rate-limited
     * and is closed (its participant leaves as disconnected).
     */
    private boolean withinRate(Connection connection) {
        if (connection.rateClosed) {
            return false;
        }
        if (connection.messages.tryConsume(1)) {
            return true;
        }
        if (connection.refusals.tryConsume(1)) {
            error(connection, "rate-limited", "Too many messages; slow down.", null);
            return false;
        }
        connection.rateClosed = true;
        log.info("Closing signalling connection {}: too many messages", connection.session.getId());
        connection.send(new ServerMessage.Bye("rate-limited"));
        connection.closeQuietly(CloseStatus.POLICY_VIOLATION.withReason("rate-limited"));
        return false;
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection != null) {
            connection.lastSeen = clock.millis();
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connections.remove(session.getId());
        if (connection != null) {
            depart(connection, "disconnected");
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("WebSocket transport error on {}: {}", session.getId(), exception.toString());
    }

    // ------------------------------------------------------------------ messages

    private void join(Connection connection, ClientMessage.Join join) {
        JoinTickets.Result redeemed = tickets.redeem(join.ticket());
        if (redeemed.problem() == JoinTickets.Problem.EXPIRED) {
            throw new Refusal("ticket-expired", "The join ticket expired; reload the page.");
        }
        if (redeemed.ticket() == null) {
            throw new Refusal("ticket-invalid", "The join ticket is not valid.");
        }
        JoinTickets.Ticket ticket = redeemed.ticket();
        Room room = rooms.bySlug(ticket.slug()).filter(r -> r.getId() == ticket.roomId())
                .orElseThrow(() -> new Refusal("room-closed", "This room no longer exists."));
        ParleyUser viewer = null;
        if (ticket.userId() != null) {
            viewer = users.findById(ticket.userId()).filter(u -> u.isEnabled())
                    .map(u -> new ParleyUser(u, clock.instant()))
                    .orElseThrow(() -> new Refusal("forbidden", "This account may not join."));
            Long sessionUser = sessionUserId(connection.session.getPrincipal());
            if (sessionUser != null && !sessionUser.equals(viewer.id())) {
                throw new Refusal("forbidden", "The ticket belongs to someone else.");
            }
        }
        switch (entry.decide(room, viewer, ticket.passcodeVerified())) {
            case CANCELLED -> throw new Refusal("room-closed", "The meeting was cancelled.");
            case ENDED, NOT_STARTED -> throw new Refusal("room-closed", "The meeting is not open now.");
            case LOGIN_REQUIRED, PASSCODE_REQUIRED -> throw new Refusal("forbidden", "You may not join this room.");
            case ALLOWED -> {
            }
        }
        boolean host = RoomPolicy.canManage(viewer, room);
        Participant participant = new Participant(MeetingService.newParticipantId(), ticket.displayName(),
                ticket.userId(), host, Participant.Kind.BROWSER, connection, join.audio(), join.video());
        connection.participant = participant;
        connection.room = liveRooms.open(room.getId(), room.getSlug());
        if (room.isLobbyEnabled() && !host) {
            connection.state = Connection.State.LOBBY;
            connection.room.enterLobby(participant);
            connection.send(ServerMessage.Lobby.waiting());
            ServerMessage request = ServerMessage.LobbyRequest.of(participant);
            connection.room.hosts().forEach(h -> h.peer().send(request));
            return;
        }
        admit(connection, room);
    }

    private void admit(Connection connection, Room room) {
        // Joined before the welcome goes out: a guest admitted from the lobby (on the host's thread) may answer the
        // welcome at once on its own.
        connection.state = Connection.State.JOINED;
        if (meetings.enterBrowser(room, connection.participant) == LiveRoom.Admission.FULL) {
            connection.state = Connection.State.NEW;
            liveRooms.releaseIfEmpty(connection.room);
            throw new Refusal("room-full", "The room is full.");
        }
        if (connection.participant.isHost()) {
            for (Participant waiting : connection.room.waiting()) {
                connection.send(ServerMessage.LobbyRequest.of(waiting));
            }
        }
    }

    private void answer(Connection connection, ClientMessage.Answer answer) {
        TransportHandle transport = connection.participant.transport();
        if (transport == null) {
            throw new Refusal("stale-answer", "No offer is waiting for an answer.");
        }
        relay.applyAnswer(transport, answer.version(), answer.sdp()).whenCompleteAsync((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof RelayException negotiation) {
                    error(connection, negotiation.code(), negotiation.getMessage(), "answer");
                } else {
                    log.warn("Applying an answer failed", cause);
                    error(connection, "internal", "The server could not apply the answer.", "answer");
                }
            }
        }, meetings.relayEvents());
    }

    private void lobbyDecision(Connection connection, ClientMessage.LobbyDecision decision) {
        Participant waiting = connection.room.leaveLobby(decision.participantId());
        if (waiting == null) {
            throw new Refusal("bad-message", "Nobody with that id is waiting.");
        }
        ServerMessage resolved = new ServerMessage.LobbyResolved(decision.participantId());
        connection.room.hosts().forEach(h -> h.peer().send(resolved));
        Connection waitingConnection = (Connection) waiting.peer();
        if (!decision.admit()) {
            waitingConnection.state = Connection.State.CLOSED;
            waiting.peer().close("denied");
            return;
        }
        Room room = rooms.bySlug(connection.room.slug()).orElseThrow(
                () -> new Refusal("room-closed", "This room no longer exists."));
        try {
            admit(waitingConnection, room);
        } catch (Refusal full) {
            waitingConnection.send(ServerMessage.Error.of(full, "join"));
        }
    }

    private void leave(Connection connection) {
        depart(connection, "left");
        connection.state = Connection.State.CLOSED;
        connection.closeQuietly(CloseStatus.NORMAL);
    }

    private void depart(Connection connection, String reason) {
        Connection.State previous = connection.state;
        connection.state = Connection.State.CLOSED;
        LiveRoom room = connection.room;
        Participant participant = connection.participant;
        if (room == null || participant == null) {
            return;
        }
        if (previous == Connection.State.LOBBY && room.leaveLobby(participant.id()) != null) {
            ServerMessage resolved = new ServerMessage.LobbyResolved(participant.id());
            room.hosts().forEach(h -> h.peer().send(resolved));
            liveRooms.releaseIfEmpty(room);
        } else if (previous == Connection.State.JOINED) {
            meetings.leave(room, participant, reason);
        }
    }

    // ------------------------------------------------------------------ housekeeping

    /** Closes sockets that never joined or went silent, and pings idle ones. */
    @Scheduled(fixedDelay = 5_000)
    void housekeeping() {
        long now = clock.millis();
        for (Connection connection : connections.values()) {
            if (connection.state == Connection.State.NEW && now - connection.openedAt > JOIN_DEADLINE_MILLIS) {
                error(connection, "not-joined", "No join within 10 seconds; closing.", null);
                connection.closeQuietly(CloseStatus.POLICY_VIOLATION);
            } else if (now - connection.lastSeen > IDLE_CLOSE_MILLIS) {
                connection.closeQuietly(CloseStatus.SESSION_NOT_RELIABLE);
            } else if (now - connection.lastSeen > IDLE_PING_MILLIS) {
                try {
                    connection.session.sendMessage(new PingMessage());
                } catch (IOException | IllegalStateException e) {
                    log.debug("ping failed", e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void error(Connection connection, String code, String message, String ref) {
        connection.send(new ServerMessage.Error(code, message, ref));
    }

    private static void requireJoined(Connection connection) {
        if (connection.state != Connection.State.JOINED) {
            throw new Refusal("not-joined", "Join the room first.");
        }
    }

    private static Long sessionUserId(Principal principal) {
        if (principal instanceof Authentication auth && auth.getPrincipal() instanceof ParleyUser user) {
            return user.id();
        }
        return null;
    }
}
