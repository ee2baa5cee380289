package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.cluster.SignalingForward;
import io.github.bucket4j.Bucket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The signalling endpoint /ws/signal (docs/signaling.md): the sockets, their rate limit and time-outs, and each message
 * from text to what it asks for. {@link SignalingCodec} reads and writes the messages; {@link MeetingAdmission}
 * decides who may send what and who gets in; {@link MeetingService} runs the meeting. Anything refused gets an error
 * reply and the connection stays up.
 */
@Component
public class SignalingHandler extends TextWebSocketHandler {

    private static final long JOIN_DEADLINE_MILLIS = 10_000;
    private static final long HOUSEKEEPING_MILLIS = 5_000;
    private static final long IDLE_PING_MILLIS = 10_000;
    /**
     * A socket silent this long (no message, no pong to the idle ping) is closed as dropped, so that the others see
     * its participant reconnecting rather than frozen; a live browser answers the ping within milliseconds.
     */
    private static final long IDLE_CLOSE_MILLIS = 20_000;
    /**
     * Messages a connection may send at once, and per second in the long run. A meeting page sends a join, an answer
     * per offer (one at a time), a ping every 20 s, and a media-state or lobby-decision per click: a few a second
     * at the very most, far below this.
     */
    static final int MESSAGE_BURST = 50;
    static final int MESSAGES_PER_SECOND = 20;
    /**
     * How long one message to a browser may take before its connection is given up (its network stalled: a laptop's
     * lid closed, Wi-Fi gone), and how many characters may wait behind it meanwhile ({@link Outbox}: no thread waits).
     */
    static final Duration SEND_TIME_LIMIT = Duration.ofSeconds(5);
    static final int SEND_BUFFER_LIMIT = 2 * 1024 * 1024;
    /** Tomcat's wait for a blocking send (pings, close frames), per socket; its default is 20 s. */
    private static final String TOMCAT_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /** Refused messages a connection may send (refilled at one a second) before it is closed with bye rate-limited. */
    static final int REFUSALS_BEFORE_CLOSE = 20;
    /** The status a socket is closed with when its participant is to resume over another (or already did). */
    static final CloseStatus RESUME_ELSEWHERE = new CloseStatus(4000, "resume");
    /**
     * More time for a meeting's node that neither took nor refused a forwarded socket in the usual time but still
     * heartbeats: with the first try about the time its heartbeat takes to lapse (NodeRegistry.LAPSE).
     */
    static final Duration STALLED_NODE_PATIENCE = Duration.ofSeconds(10);
    /** Nodes tried for one join or resume (a node gone, the next chosen) before it is refused as unavailable. */
    private static final int FORWARD_ATTEMPTS = 3;
    /** Messages a browser may send while its link to the meeting's node is being opened (it waits for a welcome). */
    static final int HELD_WHILE_FORWARDING = 16;
    private static final Logger log = LoggerFactory.getLogger(SignalingHandler.class);

    private final SignalingCodec codec;
    private final MeetingAdmission admission;
    private final MeetingService meetings;
    private final MeetingChat chat;
    private final ScreenShares screenShares;
    private final HostControls hostControls;
    private final RaisedHands hands;
    private final Reactions reactions;
    private final MediaStateUpdates mediaStates;
    private final Clock clock;
    private final SignalingRoutes routes;
    private final JoinTickets tickets;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    /** When {@link #housekeeping} last ran (its thread only); 0 before the first round. */
    private long lastHousekeeping;
    /** Closes sockets once what was queued for them (a bye, and the notice before it) has gone out. */
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-signal-closer");
        thread.setDaemon(true);
        return thread;
    });

    public SignalingHandler(SignalingCodec codec, MeetingAdmission admission, MeetingService meetings,
                            MeetingChat chat, ScreenShares screenShares, HostControls hostControls,
                            RaisedHands hands, Reactions reactions, MediaStateUpdates mediaStates, Clock clock,
                            SignalingRoutes routes, JoinTickets tickets) {
        this.codec = codec;
        this.admission = admission;
        this.meetings = meetings;
        this.chat = chat;
        this.screenShares = screenShares;
        this.hostControls = hostControls;
        this.hands = hands;
        this.reactions = reactions;
        this.mediaStates = mediaStates;
        this.clock = clock;
        this.routes = routes;
        this.tickets = tickets;
    }

    /**
     * Goes on with a join or resume once its link to the meeting's node opened or failed. Its work is short (a Redis
     * read, a join handled here), so a few threads serve any number of links being opened.
     */
    private final ThreadPoolExecutor forwardEvents = forwardEvents();

    private static ThreadPoolExecutor forwardEvents() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "parley-signal-forward-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @PreDestroy
    void stopCloser() {
        closer.shutdownNow();
        forwardEvents.shutdownNow();
    }

    /** One WebSocket, and the entrant it carries into a meeting. */
    final class Connection implements SignalingPeer {
        /** Tries, 50 ms apart, to let queued messages go out before a bye's close; then it closes regardless. */
        private static final int FLUSH_TRIES = 20;
        final WebSocketSession session;
        private final Outbox outbox;
        final Entrant entrant;
        final long openedAt;
        volatile long lastSeen;
        // Touched only by the thread delivering this connection's messages (one at a time, per the WebSocket API).
        final Bucket messages = Bucket.builder().addLimit(limit -> limit.capacity(MESSAGE_BURST)
                .refillGreedy(MESSAGES_PER_SECOND, Duration.ofSeconds(1))).build();
        final Bucket refusals = Bucket.builder().addLimit(limit -> limit.capacity(REFUSALS_BEFORE_CLOSE)
                .refillGreedy(1, Duration.ofSeconds(1))).build();
        boolean rateClosed;
        /** Set when the meeting runs on another node: from then on every message goes there, unread. */
        volatile SignalingForward forward;
        /**
         * The link to the meeting's node is being opened (which may take a while): the join came, in time. Read and
         * changed under {@link #held}'s lock.
         */
        volatile boolean forwarding;
        /** What the browser sent while its link was being opened, in order: passed on (or handled) once it is. */
        final Deque<String> held = new ArrayDeque<>();
        /** The browser's socket closed (read with {@link #forward}: a link opened meanwhile is closed too). */
        volatile boolean closed;
        final String cookie;
        // The message being assembled from the parts the container delivers (touched by the delivering thread only).
        private final StringBuilder parts = new StringBuilder();
        private long partBytes;

        // A message of another node's being passed on, assembled from its parts (the link's thread only).
        private final StringBuilder forwardedParts = new StringBuilder();

        Connection(WebSocketSession raw) {
            jakarta.websocket.Session container = raw instanceof NativeWebSocketSession standard
                    ? standard.getNativeSession(jakarta.websocket.Session.class) : null;
            if (container == null) {
                throw new IllegalStateException("not a JSR-356 WebSocket session: " + raw.getClass().getName());
            }
            // Pings and closes still send blocking (from the closer's thread): not for longer than a message may take.
            container.getUserProperties().put(TOMCAT_SEND_TIMEOUT, SEND_TIME_LIMIT.toMillis());
            this.session = raw;
            this.outbox = new Outbox(container.getAsyncRemote(), SEND_TIME_LIMIT, SEND_BUFFER_LIMIT,
                    new Outbox.Listener() {
                        @Override
                        public void stalled(String why) {
                            log.info("Signalling to {} stalled ({}); its socket is closed, and its page reconnects",
                                    session.getId(), why);
                            closeLater(CloseStatus.SESSION_NOT_RELIABLE);
                        }

                        @Override
                        public void failed(String why) {
                            log.debug("Could not send to {}: {}", session.getId(), why); // broken, or closing
                            closeLater(CloseStatus.SESSION_NOT_RELIABLE);
                        }
                    });
            this.entrant = new Entrant(this, sessionUserId(raw.getPrincipal()), remoteAddress(raw));
            this.cookie = raw.getHandshakeHeaders().getFirst(HttpHeaders.COOKIE);
            this.openedAt = clock.millis();
            this.lastSeen = openedAt;
        }

        /**
         * Sends, or queues behind the sends under way; never waits. A socket that takes longer than
         * {@link #SEND_TIME_LIMIT} over a message, or lets more than {@link #SEND_BUFFER_LIMIT} characters wait, is
         * given up: closed, so that its page reconnects once its network comes back.
         */
        @Override
        public void send(ServerMessage message) {
            if (session.isOpen()) {
                outbox.send(codec.write(message));
            }
        }

        /** A ping, if nothing else is on its way (a message under way is watched by its own time limit). */
        void ping() {
            if (!outbox.isIdle() || !session.isOpen()) {
                return;
            }
            try {
                session.sendMessage(new PingMessage());
            } catch (IOException | IllegalStateException e) {
                log.debug("ping failed", e);
            }
        }

        /** Closes on the closer's thread: closing sends a close frame, which waits on a stalled socket. */
        void closeLater(CloseStatus status) {
            if (!onCloser(() -> closeQuietly(status))) {
                closeQuietly(status);
            }
        }

        @Override
        public void close(ByeReason reason) {
            send(new ServerMessage.Bye(reason));
            closeWhenSent(CloseStatus.NORMAL);
        }

        /**
         * Closes once what waits in the outbox has gone (a bye behind an offer or a broadcast, or the last messages a
         * forwarded connection's node sent before it closed the link): closing before would lose them, and the page
         * would take the close for a dropped connection. From the closer's thread, never the caller's: a close
         * waits on the socket.
         */
        void closeWhenSent(CloseStatus status) {
            if (!onCloser(() -> closeAfterFlush(status, FLUSH_TRIES))) {
                closeQuietly(status);
            }
        }

        private void closeAfterFlush(CloseStatus status, int triesLeft) {
            if (outbox.isIdle() || triesLeft == 0 || closer.isShutdown()) {
                closeQuietly(status);
                return;
            }
            closer.schedule(() -> closeAfterFlush(status, triesLeft - 1), 50, TimeUnit.MILLISECONDS);
        }

        /** No bye: the page takes this as a dropped connection and resumes over a new one. */
        @Override
        public void drop() {
            closeQuietly(RESUME_ELSEWHERE);
        }

        /** A message, or a part of one, as another node wrote it (a forwarded connection's); sent once whole. */
        void sendRaw(TextMessage part) {
            if (!part.isLast()) {
                forwardedParts.append(part.getPayload());
                return;
            }
            String whole = part.getPayload();
            if (!forwardedParts.isEmpty()) {
                whole = forwardedParts.append(whole).toString();
                forwardedParts.setLength(0);
            }
            if (session.isOpen()) {
                outbox.send(whole);
            }
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

    /**
     * The container hands over a message in parts when it is larger than its buffer (WebSocketConfiguration), so
     * that only a message that needs it takes the memory of a large answer, not every connection.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    /**
     * The whole text of a message once its last part came, or null before. A message is kept up to what its sender
     * may send (a large answer once in a meeting, or passed on to the meeting's node; else the common limit): past it
     * the parts are dropped as they come and the message is refused with too-large when it ends, and past twice that
     * the socket is closed with 1009, as the container would.
     */
    private String assemble(Connection connection, TextMessage part) {
        if (part.isLast() && connection.partBytes == 0) {
            return part.getPayload(); // the container's buffer held all of it: sized by the codec
        }
        int limit = connection.forward != null || connection.entrant.state() == Entrant.State.JOINED
                ? SignalingCodec.MAX_ANSWER_BYTES : SignalingCodec.MAX_MESSAGE_BYTES;
        connection.partBytes += part.getPayloadLength();
        if (connection.partBytes > 2L * limit) {
            connection.parts.setLength(0);
            connection.partBytes = 0;
            connection.closeQuietly(CloseStatus.TOO_BIG_TO_PROCESS);
            return null;
        }
        boolean over = connection.partBytes > limit;
        if (over) {
            connection.parts.setLength(0);
        } else {
            connection.parts.append(part.getPayload());
        }
        if (!part.isLast()) {
            return null;
        }
        String text = connection.parts.toString();
        connection.parts.setLength(0);
        connection.parts.trimToSize();
        connection.partBytes = 0;
        if (over) {
            throw SignalingCodec.tooLarge();
        }
        return text;
    }

    /**
     * Size, JSON and envelope first; then whether the sender may send this type now; then the type's fields; then
     * what it asks for. Each refusal is an error naming the message's type, when it has one.
     */
    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection == null) {
            return;
        }
        connection.lastSeen = clock.millis();
        String text;
        try {
            text = assemble(connection, message);
        } catch (Refusal tooLarge) {
            if (withinRate(connection)) {
                connection.send(ServerMessage.Error.of(tooLarge, null));
            }
            return;
        }
        if (text == null || !withinRate(connection)) {
            return;
        }
        synchronized (connection.held) {
            if (connection.forwarding) {
                hold(connection, text);
                return;
            }
        }
        handle(connection, text);
    }

    /** A whole message, within the rate: passed on to the meeting's node, or read and done here. */
    private void handle(Connection connection, String text) {
        SignalingForward forward = connection.forward;
        if (forward != null) {
            forward.send(text);
            return;
        }
        String type = null;
        try {
            SignalingCodec.Envelope envelope = codec.open(text);
            type = envelope.type();
            admission.checkAllowed(connection.entrant, codec.kindOf(envelope));
            ClientMessage read = codec.read(envelope);
            if (connection.entrant.state() == Entrant.State.NEW) {
                Optional<SignalingRoutes.Route> node = routes.elsewhere(read);
                if (node.isPresent()) {
                    synchronized (connection.held) {
                        connection.forwarding = true;
                    }
                    Forwarding forwarding = new Forwarding(connection, read, type, text);
                    try {
                        forward(forwarding, node.get(), null, 0);
                    } catch (RuntimeException e) {
                        settle(forwarding, () -> { });
                        throw e;
                    }
                    return;
                }
            }
            dispatch(connection, read);
        } catch (Refusal refused) {
            connection.send(ServerMessage.Error.of(refused, type));
        } catch (RuntimeException e) {
            log.warn("Signalling message {} failed", type, e);
            connection.send(new ServerMessage.Error("internal", "The server could not handle this message.", type));
        }
    }

    /**
     * A message that came while the link to the meeting's node is being opened; within reason, it waits for it. A page
     * sends nothing but a ping or two before its welcome: more is refused, unread.
     */
    private void hold(Connection connection, String text) {
        if (connection.held.size() >= HELD_WHILE_FORWARDING) {
            connection.send(new ServerMessage.Error("rate-limited", "Too many messages before the welcome; wait for it.",
                    null));
            return;
        }
        connection.held.add(text);
    }

    /** A join or resume on its way to the meeting's node: the message, as read and as it came. */
    private static final class Forwarding {
        final Connection connection;
        final ClientMessage first;
        final String type;
        final String text;
        /** Whether its outcome was settled; only once, under the connection's held lock. */
        boolean settled;

        Forwarding(Connection connection, ClientMessage first, String type, String text) {
            this.connection = connection;
            this.first = first;
            this.type = type;
            this.text = text;
        }
    }

    /**
     * Opens the link to the meeting's node; once it is open, the socket's messages go there and back. When that link
     * closes, so does the browser's socket: after a bye as the node closed it, else (the node went away) as a dropped
     * connection, which the page resumes through whichever node it reaches. No thread waits for the node meanwhile
     * (a stalled node is given up to 15 s, and Tomcat's threads serve every page and socket of this node).
     */
    private void forward(Forwarding forwarding, SignalingRoutes.Route node, SignalingRoutes.Route stalled,
            int attempt) {
        Connection connection = forwarding.connection;
        String address = connection.entrant.remoteAddress();
        Duration timeout = node == stalled ? STALLED_NODE_PATIENCE : SignalingForward.CONNECT_TIMEOUT;
        SignalingForward.connect(node.url(), connection.cookie, tickets.vouch(address == null ? "" : address),
                        connection::sendRaw,
                        status -> connection.closeWhenSent(status.getCode() == CloseStatus.NORMAL.getCode()
                                || status.getCode() == RESUME_ELSEWHERE.getCode() ? status
                                : CloseStatus.SERVICE_RESTARTED), timeout)
                .whenCompleteAsync((link, error) -> {
                    try {
                        linked(forwarding, node, stalled, attempt, timeout, link, error);
                    } catch (Refusal refused) { // a resume whose node is gone: its page joins again
                        settle(forwarding, () -> connection.send(ServerMessage.Error.of(refused, forwarding.type)));
                    } catch (RuntimeException | Error e) {
                        log.warn("Forwarding a signalling connection to {} failed", node.url(), e);
                        settle(forwarding, () -> connection.send(new ServerMessage.Error("internal",
                                "The server could not handle this message.", forwarding.type)));
                    }
                }, forwardEvents);
    }

    /**
     * The link's outcome. A node that died is still listed until its heartbeat lapses: a join then goes to the next one
     * chosen. But a node that only stalls looks the same for a while, and placing its meeting elsewhere would split
     * the meeting (the people there stay, the newcomer is alone in a second copy): one that neither answered nor
     * refused is given until about its heartbeat's lapse while it is still listed.
     */
    private void linked(Forwarding forwarding, SignalingRoutes.Route node, SignalingRoutes.Route stalled, int attempt,
            Duration timeout, SignalingForward link, Throwable error) {
        Connection connection = forwarding.connection;
        if (error == null) {
            settle(forwarding, () -> {
                connection.forward = link;
                if (connection.closed) { // the browser left while the link was being opened
                    link.close();
                    return;
                }
                link.send(forwarding.text);
            });
            return;
        }
        Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (connection.closed) {
            settle(forwarding, () -> { });
            return;
        }
        Optional<SignalingRoutes.Route> next;
        if (failure instanceof SignalingForward.NoAnswer && stalled == null && routes.listed(node)) {
            log.warn("The node {} running this meeting did not answer in {} s but is still listed; waiting up to {} s "
                    + "more", node.url(), timeout.toSeconds(), STALLED_NODE_PATIENCE.toSeconds());
            stalled = node;
            next = Optional.of(node);
        } else {
            log.warn("Could not forward a signalling connection to {}: {}", node.url(), failure.getMessage());
            next = routes.unreachable(node);
        }
        if (next.isEmpty()) { // placed here after all
            settle(forwarding, () -> {
                try {
                    dispatch(connection, forwarding.first);
                } catch (Refusal refused) {
                    connection.send(ServerMessage.Error.of(refused, forwarding.type));
                } catch (RuntimeException e) {
                    log.warn("Signalling message {} failed", forwarding.type, e);
                    connection.send(new ServerMessage.Error("internal", "The server could not handle this message.",
                            forwarding.type));
                }
            });
        } else if (attempt + 1 < FORWARD_ATTEMPTS) {
            forward(forwarding, next.get(), stalled, attempt + 1);
        } else {
            settle(forwarding, () -> connection.send(ServerMessage.Error.of(new Refusal("unavailable",
                    "The server running this meeting cannot be reached; try again shortly."), forwarding.type)));
        }
    }

    /**
     * Ends the link's opening with {@code outcome}, then passes on (or handles) what the browser sent meanwhile, in
     * order, before anything it sends after; all under the held messages' lock, which the socket's thread takes to
     * see whether to hold a message.
     */
    private void settle(Forwarding forwarding, Runnable outcome) {
        Connection connection = forwarding.connection;
        synchronized (connection.held) {
            if (forwarding.settled) { // a failure after its outcome: a held join may have started the next link
                return;
            }
            forwarding.settled = true;
            try {
                outcome.run();
            } finally {
                connection.forwarding = false;
                if (connection.closed) {
                    connection.held.clear();
                }
                while (!connection.forwarding && !connection.held.isEmpty()) {
                    handle(connection, connection.held.poll()); // a join refused here may start another link
                }
            }
        }
    }

    /** One message to what it asks for. (A switch over the sealed ClientMessage once Parley is on Java 21.) */
    private void dispatch(Connection connection, ClientMessage message) {
        Entrant entrant = connection.entrant;
        if (message instanceof ClientMessage.Join join) {
            admission.join(entrant, join);
        } else if (message instanceof ClientMessage.Resume resume) {
            admission.resume(entrant, resume);
        } else if (message instanceof ClientMessage.Answer answer) {
            meetings.answer(entrant.participant(), answer.version(), answer.sdp());
        } else if (message instanceof ClientMessage.MediaState state) {
            mediaStates.update(entrant.room(), entrant.participant(), state.audio(), state.video());
        } else if (message instanceof ClientMessage.TileSizes sizes) {
            meetings.showTiles(entrant.participant(), sizes.tiles(), sizes.version());
        } else if (message instanceof ClientMessage.LobbyDecision decision) {
            admission.decideLobby(entrant, decision);
        } else if (message instanceof ClientMessage.Chat text) {
            chat.send(entrant.room(), entrant.participant(), text);
        } else if (message instanceof ClientMessage.ScreenShare share) {
            screenShares.share(entrant.room(), entrant.participant(), share.active());
        } else if (message instanceof ClientMessage.Hand hand) {
            hands.raise(entrant.room(), entrant.participant(), hand.raised());
        } else if (message instanceof ClientMessage.Reaction reaction) {
            reactions.send(entrant.room(), entrant.participant(), reaction);
        } else if (message instanceof ClientMessage.Quality quality) {
            hands.reportQuality(entrant.room(), entrant.participant(), quality.level());
        } else if (message instanceof ClientMessage.Moderate control) {
            hostControls.moderate(entrant, control);
        } else if (message instanceof ClientMessage.Leave) {
            admission.depart(entrant, "left");
            connection.closeQuietly(CloseStatus.NORMAL);
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
            connection.send(new ServerMessage.Error("rate-limited", "Too many messages; slow down.", null));
            return false;
        }
        connection.rateClosed = true;
        log.info("Closing signalling connection {}: too many messages", connection.session.getId());
        admission.depart(connection.entrant, "disconnected"); // a clean departure: no reconnecting for a flooder
        connection.send(new ServerMessage.Bye(ByeReason.RATE_LIMITED));
        connection.closeWhenSent(CloseStatus.POLICY_VIOLATION.withReason("rate-limited"));
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
            connection.closed = true;
        }
        if (connection != null && connection.forward != null) {
            connection.forward.close();
        } else if (connection != null) {
            admission.lost(connection.entrant);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("WebSocket transport error on {}: {}", session.getId(), exception.toString());
    }

    /**
     * Closes sockets that never joined or went silent, and pings idle ones. After a round that came late (this node
     * itself stood still: a long pause, a starved CPU), every socket is only pinged: their silence was this node's.
     */
    @Scheduled(fixedDelay = HOUSEKEEPING_MILLIS)
    void housekeeping() {
        long now = clock.millis();
        long sinceLast = now - lastHousekeeping;
        boolean stalled = lastHousekeeping != 0 && sinceLast > IDLE_PING_MILLIS;
        lastHousekeeping = now;
        if (stalled) {
            log.warn("This node stood still: {} ms since the last round of socket checks (one every {} ms); its {} "
                    + "sockets are pinged, none is closed as silent", sinceLast, HOUSEKEEPING_MILLIS,
                    connections.size());
        }
        for (Connection connection : connections.values()) {
            if (stalled) {
                ping(connection);
            } else if (connection.entrant.state() == Entrant.State.NEW && connection.forward == null
                    && !connection.forwarding && now - connection.openedAt > JOIN_DEADLINE_MILLIS) {
                connection.send(new ServerMessage.Error("not-joined", "No join within 10 seconds; closing.", null));
                connection.closeWhenSent(CloseStatus.POLICY_VIOLATION);
            } else if (now - connection.lastSeen > IDLE_CLOSE_MILLIS) {
                connection.closeLater(CloseStatus.SESSION_NOT_RELIABLE);
            } else if (now - connection.lastSeen > IDLE_PING_MILLIS) {
                ping(connection);
            }
        }
    }

    /** A ping is a blocking send, so it goes from the closer's thread, not the scheduler's (none while stopping). */
    private void ping(Connection connection) {
        onCloser(connection::ping);
    }

    /** Runs a blocking send or close on the closer's thread; false when the node is stopping and it did not. */
    private boolean onCloser(Runnable work) {
        try {
            closer.execute(work);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }

    /** The browser's address: the socket's peer, or the one a node forwarding the socket vouched for. */
    private String remoteAddress(WebSocketSession session) {
        String forwarded = session.getHandshakeHeaders().getFirst(SignalingForward.CLIENT_HEADER);
        if (forwarded != null) {
            String vouched = tickets.vouched(forwarded);
            if (vouched != null && !vouched.isEmpty()) {
                return vouched;
            }
        }
        InetSocketAddress address = session.getRemoteAddress();
        return address == null || address.getAddress() == null ? null : address.getAddress().getHostAddress();
    }

    /** The account the socket was opened with, from the handshake's HTTP session; null for a guest. */
    private static Long sessionUserId(Principal principal) {
        if (principal instanceof Authentication auth && auth.getPrincipal() instanceof ParleyUser user) {
            return user.id();
        }
        return null;
    }
}
