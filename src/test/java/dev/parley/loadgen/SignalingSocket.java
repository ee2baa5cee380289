package dev.parley.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One participant's signalling WebSocket (/ws/signal, docs/signaling.md) on a shared {@link HttpClient}: JSON
 * messages in, handed to a consumer on the client's executor one at a time; JSON messages out, queued so that only
 * one send is outstanding (the JDK WebSocket refuses overlapping sends). Pings from the server are answered by the
 * JDK.
 */
final class SignalingSocket {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final CompletableFuture<String> closed;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private SignalingSocket(WebSocket socket, CompletableFuture<String> closed) {
        this.socket = socket;
        this.closed = closed;
    }

    /**
     * Opens the socket with the server's own origin (others are refused).
     *
     * @param onMessage every message, in order, on the HTTP client's executor; it must not block
     */
    static SignalingSocket open(HttpClient http, URI base, Consumer<JsonNode> onMessage) {
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/signal");
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .header("Origin", base.getScheme() + "://" + base.getHost() + ":" + base.getPort())
                .buildAsync(uri, new Listener(onMessage, closed)).join();
        return new SignalingSocket(socket, closed);
    }

    private static final class Listener implements WebSocket.Listener {
        private final Consumer<JsonNode> onMessage;
        private final CompletableFuture<String> closed;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<JsonNode> onMessage, CompletableFuture<String> closed) {
            this.onMessage = onMessage;
            this.closed = closed;
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
            closed.complete(statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error: " + error);
        }
    }

    void send(Map<String, Object> message) {
        String text;
        try {
            text = JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        synchronized (this) {
            sending = sending.handle((ok, error) -> null).thenCompose(ignored -> socket.sendText(text, true));
        }
    }

    /** Whether the server closed the socket (or it failed), and why. */
    boolean isClosed() {
        return closed.isDone();
    }

    String closeReason() {
        return closed.getNow(null);
    }

    /** Says goodbye (leave) and closes the socket without waiting long. */
    void close() {
        if (!closed.isDone()) {
            send(Map.of("type", "leave"));
        }
        CompletableFuture<?> last;
        synchronized (this) {
            last = sending;
        }
        try {
            last.get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        socket.abort();
    }
}
