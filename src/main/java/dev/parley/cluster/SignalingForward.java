package dev.parley.cluster;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A browser's signalling carried to the node where its meeting runs: this node opens a WebSocket to that node's
 * /ws/signal and passes the text messages through both ways, unread. The browser keeps talking to the node it reached
 * (one address for the whole deployment, one origin for its page); its media goes to the meeting's node directly, as
 * that node's answers say.
 */
public final class SignalingForward {

    /** The header that carries the browser's address, vouched for by this node (see the meeting's JoinTickets). */
    public static final String CLIENT_HEADER = "X-Parley-Client";
    /** How long a node usually has to take the link. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Tomcat's WebSocket client gives up a handshake after its own IO timeout, 5 s by default: as long as this class's
     * usual wait, so a stalled node's handshake sometimes failed as a refusal would (the meeting was split), and the
     * longer patience for a stalled node never got its time. The wait here decides; Tomcat's only ends what is left.
     */
    static final Duration HANDSHAKE_IO_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(SignalingForward.class);
    private static final StandardWebSocketClient CLIENT = client();

    private final WebSocketSession session;

    private SignalingForward(WebSocketSession session) {
        this.session = new ConcurrentWebSocketSessionDecorator(session, 5_000, 2 * 1024 * 1024);
    }

    /**
     * The node neither took nor refused the link in time. Unlike a refusal (nothing listens there: the node is gone),
     * this is also what a node that is alive but stalled (a long pause, a starved CPU) looks like.
     */
    public static final class NoAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens the link to the meeting's node, waiting at most {@code timeout}.
     *
     * @param nodeUrl  the node's base URL (http or https), as its heartbeat gives it
     * @param cookie   the browser's Cookie header, so that the node sees the same signed-in session; may be null
     * @param vouch    the browser's address, vouched for, for the node's per-address limits
     * @param toClient each message of the meeting's node, for the browser, in parts as they arrive (a message may be
     *                 larger than the client's buffer: an offer for a large meeting, a long chat history), so
     *                 nothing is held here; the browser's socket sends only these, so the parts stay in order
     * @param closed   the link closed (by the meeting's node, or because it went away), with its status
     * @throws NoAnswer    when the node did not answer within {@code timeout}
     * @throws IOException when the node cannot be reached (it refused, or the handshake failed)
     */
    public static SignalingForward open(String nodeUrl, String cookie, String vouch, Consumer<TextMessage> toClient,
                                        Consumer<CloseStatus> closed, Duration timeout) throws IOException {
        URI uri = URI.create(nodeUrl.replaceFirst("^http", "ws") + "/ws/signal");
        WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
        if (cookie != null) {
            headers.add("Cookie", cookie);
        }
        headers.add(CLIENT_HEADER, vouch);
        // The meeting's node checks the Origin like any browser's: the link presents that node's own.
        headers.setOrigin(nodeUrl);
        AtomicBoolean abandoned = new AtomicBoolean();
        TextWebSocketHandler handler = new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) {
                if (!abandoned.get()) {
                    toClient.accept(message);
                }
            }

            @Override
            public boolean supportsPartialMessages() {
                return true;
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
                if (!abandoned.get()) {
                    closed.accept(status);
                }
            }
        };
        CompletableFuture<WebSocketSession> opening = CLIENT.execute(handler, headers, uri);
        try {
            return new SignalingForward(opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            // A link that opens after all is no longer this browser's (its messages go another way now): it is closed
            // at once, and neither it nor its close reaches the browser.
            abandoned.set(true);
            opening.thenAccept(SignalingForward::closeLate);
            throw new NoAnswer("no answer from " + uri + " in " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (timedOut(e)) { // a client's own timeout, should it come first all the same
                throw new NoAnswer("no answer from " + uri + ": " + e.getCause(), e);
            }
            throw new IOException("could not reach " + uri + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reaching " + uri, e);
        }
    }

    private static StandardWebSocketClient client() {
        StandardWebSocketClient client = new StandardWebSocketClient();
        client.setUserProperties(Map.of("org.apache.tomcat.websocket.IO_TIMEOUT_MS",
                String.valueOf(HANDSHAKE_IO_TIMEOUT.toMillis())));
        return client;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void closeLate(WebSocketSession late) {
        try {
            late.close(CloseStatus.GOING_AWAY);
        } catch (IOException e) {
            log.debug("closing a link that opened too late to {}", late.getUri(), e);
        }
    }

    /** One message from the browser, as it came. */
    public void send(String text) {
        try {
            session.sendMessage(new TextMessage(text));
        } catch (IOException | IllegalStateException e) {
            log.debug("Could not forward to {}: {}", session.getUri(), e.toString());
        }
    }

    /** The browser went: the meeting's node sees its socket drop, as if the browser had talked to it directly. */
    public void close() {
        try {
            session.close(CloseStatus.GOING_AWAY);
        } catch (IOException e) {
            log.debug("closing the link to {}", session.getUri(), e);
        }
    }
}
