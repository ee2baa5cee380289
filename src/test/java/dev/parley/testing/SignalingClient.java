package dev.parley.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A signalling client over a real WebSocket (/ws/signal, docs/signaling.md; java.net.http), for protocol tests without
 * a browser and for the load generator's participants.
 *
 * <p>Messages in are either kept for {@link #next} (tests) or handed to a consumer one at a time on the HTTP client's
 * executor ({@link #open}); text that is not JSON arrives as {@code {"type":"invalid-json","text":...}}. Messages out
 * are queued so that only one send is outstanding (the JDK WebSocket refuses overlapping sends). Pings from the
 * server are answered by the JDK.
 */
public final class SignalingClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private final WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private SignalingClient(HttpClient http, URI base, String origin, Consumer<JsonNode> onMessage) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/signal");
        this.socket = builder.buildAsync(uri, new Listener(onMessage != null ? onMessage : inbox::add)).join();
    }

    /** A client of its own on 127.0.0.1 with the server's own origin; read messages with {@link #next}. */
    public static SignalingClient connect(int port) {
        return connect(port, "http://127.0.0.1:" + port);
    }

    /** As {@link #connect(int)} with another Origin header (none when null). */
    public static SignalingClient connect(int port, String origin) {
        return new SignalingClient(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port), origin, null);
    }

    /**
     * A client on a shared HTTP client with the server's own origin (others are refused).
     *
     * @param onMessage every message, in order, on the HTTP client's executor; it must not block
     */
    public static SignalingClient open(HttpClient http, URI base, Consumer<JsonNode> onMessage) {
        String origin = base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
        return new SignalingClient(http, base, origin, onMessage);
    }

    private final class Listener implements WebSocket.Listener {
        private final Consumer<JsonNode> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<JsonNode> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onMessage.accept(JSON.readTree(text));
                } catch (JsonProcessingException e) {
                    onMessage.accept(JSON.createObjectNode().put("type", "invalid-json").put("text", text));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason);
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason = "error: " + error;
            closed.completeExceptionally(error);
        }
    }

    /** Sends a message and waits until it is written; fails when the socket is closed. */
    public void send(Map<String, Object> message) {
        sendRaw(toJson(message));
    }

    public void sendRaw(String text) {
        sendAsync(text).join();
    }

    /** Queues a message behind those not yet written; never blocks (for message handlers). */
    public CompletableFuture<?> sendAsync(Map<String, Object> message) {
        return sendAsync(toJson(message));
    }

    private synchronized CompletableFuture<?> sendAsync(String text) {
        sending = sending.handle((ok, error) -> null).thenCompose(ignored -> socket.sendText(text, true));
        return sending;
    }

    private static String toJson(Map<String, Object> message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A join message with the ticket, camera and microphone on. */
    public static Map<String, Object> join(String ticket) {
        Map<String, Object> join = new LinkedHashMap<>();
        join.put("type", "join");
        join.put("ticket", ticket);
        join.put("audio", true);
        join.put("video", true);
        return join;
    }

    /** The next message of the given type; messages of other types before it are skipped. */
    public JsonNode next(String type) {
        return next(type, Duration.ofSeconds(10));
    }

    public JsonNode next(String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode message = left <= 0 ? null : poll(left, TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no '" + type + "' message within " + timeout);
            }
            if (type.equals(message.path("type").asText())) {
                return message;
            }
        }
    }

    /** The very next message, whatever its type. */
    public JsonNode nextAny(Duration timeout) {
        JsonNode message = poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return message;
    }

    private JsonNode poll(long timeout, TimeUnit unit) {
        try {
            JsonNode message = inbox.poll(timeout, unit);
            if (message != null && "invalid-json".equals(message.path("type").asText())) {
                throw new AssertionError("server sent invalid JSON: " + message.path("text").asText());
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next error, checked for its code. */
    public JsonNode expectError(String code) {
        JsonNode error = next("error");
        if (!code.equals(error.path("code").asText())) {
            throw new AssertionError("expected error " + code + " but got " + error);
        }
        return error;
    }

    public boolean isOpen() {
        return !closed.isDone() && !socket.isOutputClosed();
    }

    /** Whether the server closed the socket (or it failed), and why: the status code and reason, or the error. */
    public boolean isClosed() {
        return closed.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the socket within " + timeout, e);
        }
    }

    /** Drops the connection at once, with no close: as a page whose network went. Never blocks. */
    public void abort() {
        socket.abort();
    }

    /** Waits up to two seconds for queued messages to be written, says goodbye and drops the connection. */
    @Override
    public void close() {
        CompletableFuture<?> last;
        synchronized (this) {
            last = sending;
        }
        try {
            last.get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
