package dev.parley.meeting;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.common.AttemptLimits;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpHeaders;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Coverage-guided (Jazzer) fuzzing of how a signalling message is read: the size limit, Jackson's {@code readTree},
 * the "JSON object with a string type" check and the per-type field checks ({@link SignalingCodec}), the state checks
 * and the ticket check ({@link MeetingAdmission}, {@link JoinTickets#redeem}), all reached through the handler's own
 * {@code handleTextMessage} with no Spring context, so that the order of the checks is fuzzed too. The handler is
 * built by hand with the mapper Spring Boot would configure, real {@link JoinTickets} and a stub WebSocket session;
 * the room, account, meeting and relay services are null because a connection that has not joined never reaches them
 * (a ticket the fuzzer cannot sign stops at ticket-invalid, a resume token it cannot guess at resume-invalid). Seeds:
 * {@code src/test/resources/dev/parley/meeting/SignalingMessageFuzzTestInputs/decode}. See docs/fuzzing.md.
 */
class SignalingMessageFuzzTest {

    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json().build();
    private static final JoinTickets TICKETS = new JoinTickets(JSON, Clock.systemUTC(), "fuzz-ticket-secret");
    private static final SignalingHandler HANDLER = new SignalingHandler(new SignalingCodec(JSON),
            new MeetingAdmission(TICKETS, null, null, null,
                    null, new LiveRooms(), new ResumeTokens(), new ResumeAttempts(Clock.systemUTC(), AttemptLimits.inMemory()),
                    new MeetingBans(Clock.systemUTC()), null, Clock.systemUTC()), null, null, null, null, null, null,
            null, Clock.systemUTC(), SignalingRoutes.alone(TICKETS), TICKETS);
    private static final AtomicLong IDS = new AtomicLong();
    /** The refusals a connection that has not joined may get; "internal" (an unexpected exception) is a finding. */
    private static final Set<String> REFUSALS = Set.of("too-large", "bad-json", "bad-message", "unknown-type",
            "not-joined", "ticket-invalid", "ticket-expired", "resume-invalid", "rate-limited");

    /**
     * Any text makes the handler answer exactly once, with a pong for a ping (echoing its id) or an error whose code
     * is one of {@link #REFUSALS}, except a leave, which closes the socket without a reply. Nothing is thrown. Where
     * the text decodes, re-encoding the tree decodes to an equal tree (a number overflowing to an infinity comes back as
     * its string, see {@link #sameOnceReencoded}).
     */
    @FuzzTest
    void decode(byte[] data) throws Exception {
        String text = new String(data, StandardCharsets.UTF_8);
        JsonNode decoded = null;
        try {
            decoded = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // the handler answers bad-json
        }
        if (decoded != null && !decoded.isMissingNode()) {
            JsonNode again = JSON.readTree(JSON.writeValueAsString(decoded));
            if (!again.equals(decoded) && !sameOnceReencoded(decoded, again)) {
                throw new AssertionError("re-encoded tree " + again + " differs from " + decoded);
            }
        }

        StubSession session = new StubSession("fuzz-" + IDS.incrementAndGet());
        HANDLER.afterConnectionEstablished(session);
        try {
            HANDLER.handleTextMessage(session, new TextMessage(text));
        } finally {
            HANDLER.afterConnectionClosed(session, CloseStatus.NORMAL);
        }

        boolean leave = decoded != null && decoded.isObject() && "leave".equals(decoded.path("type").textValue())
                && new TextMessage(text).getPayloadLength() <= SignalingCodec.MAX_MESSAGE_BYTES;
        if (leave) {
            if (!session.sent.isEmpty() || !session.closed) {
                throw new AssertionError("a leave must close without a reply; sent " + session.sent + ", closed "
                        + session.closed + " for " + text);
            }
            return;
        }
        if (session.sent.size() != 1) {
            throw new AssertionError("expected exactly one reply but got " + session.sent + " for " + text);
        }
        JsonNode reply = JSON.readTree(session.sent.get(0));
        String type = reply.path("type").asText();
        if (type.equals("pong")) {
            if (decoded == null || !decoded.path("type").asText().equals("ping")) {
                throw new AssertionError("pong for a message that is not a ping: " + text);
            }
            if (reply.has("id") != decoded.has("id")) {
                throw new AssertionError("pong " + reply + " does not echo whether the ping had an id: " + text);
            }
        } else if (!type.equals("error")) {
            throw new AssertionError("reply " + reply + " is neither pong nor error for " + text);
        } else if (!REFUSALS.contains(reply.path("code").asText())) {
            throw new AssertionError("error " + reply + " is not a refusal for " + text);
        }
    }

    /**
     * Equal trees, except that a number too large for a double (read as an infinity) comes back as the string JSON
     * needs for it ("Infinity", "-Infinity"; Jackson's WRITE_NAN_AS_STRINGS): JSON has no non-finite numbers, so
     * that is the only faithful re-encoding.
     */
    private static boolean sameOnceReencoded(JsonNode original, JsonNode again) {
        if (original.isFloatingPointNumber() && !Double.isFinite(original.doubleValue())) {
            return again.isTextual() && again.textValue().equals(Double.toString(original.doubleValue()));
        }
        if (original.isContainerNode()) {
            if (original.getNodeType() != again.getNodeType() || original.size() != again.size()) {
                return false;
            }
            if (original.isArray()) {
                for (int i = 0; i < original.size(); i++) {
                    if (!sameOnceReencoded(original.get(i), again.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            for (Map.Entry<String, JsonNode> field : original.properties()) {
                JsonNode other = again.get(field.getKey());
                if (other == null || !sameOnceReencoded(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return original.equals(again);
    }

    /** Records what the handler sends; everything else is inert. */
    /**
     * A socket that keeps what is sent on it. The handler sends through the container's asynchronous endpoint (its
     * outbox), which this one completes at once.
     */
    private static final class StubSession implements NativeWebSocketSession {
        final String id;
        private final RecordingEndpoint endpoint = new RecordingEndpoint(true);
        final List<String> sent = endpoint.sent;
        final Map<String, Object> attributes = new HashMap<>();
        boolean closed;
        private final Map<String, Object> userProperties = new HashMap<>();
        private final Session container = (Session) Proxy.newProxyInstance(StubSession.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getUserProperties" -> userProperties;
                    case "getAsyncRemote" -> endpoint.remote;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        @Override
        public Object getNativeSession() {
            return container;
        }

        @Override
        public <T> T getNativeSession(Class<T> requiredType) {
            return requiredType.isInstance(container) ? requiredType.cast(container) : null;
        }

        StubSession(String id) {
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public URI getUri() {
            return URI.create("ws://localhost/ws/meeting");
        }

        @Override
        public HttpHeaders getHandshakeHeaders() {
            return new HttpHeaders();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public Principal getPrincipal() {
            return null;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return null;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return null;
        }

        @Override
        public String getAcceptedProtocol() {
            return null;
        }

        @Override
        public void setTextMessageSizeLimit(int messageSizeLimit) {
        }

        @Override
        public int getTextMessageSizeLimit() {
            return Integer.MAX_VALUE;
        }

        @Override
        public void setBinaryMessageSizeLimit(int messageSizeLimit) {
        }

        @Override
        public int getBinaryMessageSizeLimit() {
            return Integer.MAX_VALUE;
        }

        @Override
        public List<WebSocketExtension> getExtensions() {
            return List.of();
        }

        @Override
        public void sendMessage(WebSocketMessage<?> message) {
            sent.add(((TextMessage) message).getPayload());
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void close(CloseStatus status) {
            closed = true;
        }
    }
}
