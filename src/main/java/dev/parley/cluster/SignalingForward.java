package dev.parley.cluster;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

/**
 * A browser's signalling carried to the node where its meeting runs: this node opens a WebSocket to that node's
 * /ws/signal and passes the text messages through both ways, unread. The browser keeps talking to the node it reached
 * (one address for the whole deployment, one origin for its page); its media goes to the meeting's node directly, as
 * that node's answers say.
 *
 * <p>On the JDK's WebSocket client, which opens and sends without a thread per socket: Tomcat's (JSR-356) client
 * waits out each handshake on a thread of its own, and a burst of joins toward a stalled node would take one each for
 * as long as the node stood still.
 */
public final class SignalingForward {

    /** The header that carries the browser's address, vouched for by this node (see the meeting's JoinTickets). */
    public static final String CLIENT_HEADER = "X-Parley-Client";
    /** How long a node usually has to take the link. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long one message to the meeting's node may take before the link is given up (as for a browser). */
    static final Duration SEND_TIME_LIMIT = Duration.ofSeconds(5);
    /** How many characters may wait to go to the meeting's node before the link is given up. */
    static final long SEND_BUFFER_LIMIT = 2L * 1024 * 1024;
    /**
     * The client's own limit on a handshake, past this class's wait: the wait asked for decides (a stalled node is
     * no answer, not a refusal), and the client's limit only ends what is left of an abandoned one.
     */
    private static final Duration HANDSHAKE_SLACK = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(SignalingForward.class);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Decides when a link's time is up; its work is a flag and a future's completion. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final WebSocket socket;
    private final Ending ending;
    private final AtomicBoolean closing = new AtomicBoolean();
    // Sends go one after another (the client takes one at a time); guarded by this.
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private long waitingChars;

    private SignalingForward(WebSocket socket, Ending ending) {
        this.socket = socket;
        this.ending = ending;
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
     * Opens the link to the meeting's node, giving it at most {@code timeout}. No thread waits for it: the result
     * completes when the node answers, fails or runs out of time. A link that opens after its time is closed at once,
     * and neither it nor its close reaches the caller.
     *
     * @param nodeUrl  the node's base URL (http or https), as its heartbeat gives it
     * @param cookie   the browser's Cookie header, so that the node sees the same signed-in session; may be null
     * @param vouch    the browser's address, vouched for, for the node's per-address limits
     * @param toClient each message of the meeting's node, for the browser, in parts as they arrive (a message may be
     *                 larger than one frame: an offer for a large meeting, a long chat history), so nothing is held
     *                 here; one at a time, in order
     * @param closed   the link closed (by the meeting's node, because it went away, or given up here), with its status;
     *                 called once
     * @return the link; or failed with {@link NoAnswer} when the node did not answer within {@code timeout}, or with
     *         another {@link IOException} when it cannot be reached (it refused, or the handshake failed)
     */
    public static CompletableFuture<SignalingForward> connect(String nodeUrl, String cookie, String vouch,
            Consumer<TextMessage> toClient, Consumer<CloseStatus> closed, Duration timeout) {
        URI uri = URI.create(nodeUrl.replaceFirst("^http", "ws") + "/ws/signal");
        Ending ending = new Ending(closed);
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(timeout.plus(HANDSHAKE_SLACK))
                .header(CLIENT_HEADER, vouch)
                // The meeting's node checks the Origin like any browser's: the link presents that node's own.
                .header("Origin", nodeUrl);
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        CompletableFuture<SignalingForward> link = new CompletableFuture<>();
        // Whichever comes first decides, the node's answer or the time running out; under the lock, so that a link
        // abandoned for its time is never also handed over. The caller's stages must not run under it: they are
        // asynchronous (see SignalingHandler), or the caller waits for the result.
        Object decision = new Object();
        builder.buildAsync(uri, new Listener(toClient, ending)).whenComplete((socket, error) -> {
            synchronized (decision) {
                if (ending.abandoned) {
                    if (socket != null) {
                        socket.abort(); // opened too late: its node sees a socket that went, before any join
                    }
                } else if (error == null) {
                    link.complete(new SignalingForward(socket, ending));
                } else if (timedOut(error)) { // the client's own limit, should it come first all the same
                    link.completeExceptionally(new NoAnswer("no answer from " + uri + ": " + error, error));
                } else {
                    link.completeExceptionally(new IOException("could not reach " + uri + ": " + error, error));
                }
            }
        });
        ScheduledFuture<?> timeUp = TIMER.schedule(() -> {
            synchronized (decision) {
                if (!link.isDone()) {
                    ending.abandoned = true;
                    link.completeExceptionally(new NoAnswer("no answer from " + uri + " in " + timeout.toMillis()
                            + " ms", null));
                }
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        link.whenComplete((opened, error) -> timeUp.cancel(false));
        return link;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "parley-forward-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a link that opened in time lets go of its timeout at once
        return timer;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Tells the caller once that the link ended, unless it was abandoned before it opened. */
    private static final class Ending {
        private final Consumer<CloseStatus> closed;
        private final AtomicBoolean told = new AtomicBoolean();
        volatile boolean abandoned;

        Ending(Consumer<CloseStatus> closed) {
            this.closed = closed;
        }

        void tell(CloseStatus status) {
            if (!abandoned && told.compareAndSet(false, true)) {
                closed.accept(status);
            }
        }
    }

    /** The meeting node's messages, in parts as they come, one at a time. */
    private static final class Listener implements WebSocket.Listener {
        private final Consumer<TextMessage> toClient;
        private final Ending ending;

        Listener(Consumer<TextMessage> toClient, Ending ending) {
            this.toClient = toClient;
            this.ending = ending;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!ending.abandoned) {
                toClient.accept(new TextMessage(data, last)); // copies the text: the client reuses its buffer
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ending.tell(closeStatus(statusCode, reason)); // the client answers the close by itself
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            log.debug("The link to {} failed: {}", webSocket, error.toString());
            ending.tell(CloseStatus.NO_CLOSE_FRAME);
        }
    }

    private static CloseStatus closeStatus(int code, String reason) {
        return code >= 1000 && code < 5000 ? new CloseStatus(code, reason) : CloseStatus.NO_CLOSE_FRAME;
    }

    /**
     * One message from the browser, as it came, after those before it; never waits. A message that takes longer than
     * {@link #SEND_TIME_LIMIT}, or more than {@link #SEND_BUFFER_LIMIT} characters waiting, gives the link up: it is
     * closed, and the caller told.
     */
    public void send(String text) {
        synchronized (this) {
            if (waitingChars + text.length() > SEND_BUFFER_LIMIT) {
                giveUp("more than " + SEND_BUFFER_LIMIT + " characters waiting");
                return;
            }
            waitingChars += text.length();
            sending = sending.thenCompose(ignored -> socket.sendText(text, true)
                            .orTimeout(SEND_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS))
                    .whenComplete((sent, error) -> {
                        synchronized (this) {
                            waitingChars -= text.length();
                        }
                        if (error != null) {
                            giveUp(error.toString());
                        }
                    });
        }
    }

    private void giveUp(String why) {
        log.debug("Giving up a link to a meeting's node: {}", why);
        socket.abort();
        ending.tell(CloseStatus.SESSION_NOT_RELIABLE);
    }

    /** The browser went: the meeting's node sees its socket drop, as if the browser had talked to it directly. */
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // the browser's close and the link's opening may both see the other and close
        }
        CompletableFuture<?> last;
        synchronized (this) {
            last = sending;
        }
        // After what was sent before (the client takes one send at a time); a node that does not answer the close in
        // time is let go of regardless (aborting a closed socket does nothing).
        last.handle((ok, error) -> null)
                .thenCompose(ignored -> socket.sendClose(CloseStatus.GOING_AWAY.getCode(), "")
                        .orTimeout(SEND_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((ok, error) -> TIMER.schedule(socket::abort, error == null
                        ? SEND_TIME_LIMIT.toMillis() : 0, TimeUnit.MILLISECONDS));
    }
}
