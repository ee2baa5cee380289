package dev.parley.meeting;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.parley.meeting.ClientMessage.Answer;
import dev.parley.meeting.ClientMessage.Chat;
import dev.parley.meeting.ClientMessage.Hand;
import dev.parley.meeting.ClientMessage.Join;
import dev.parley.meeting.ClientMessage.Leave;
import dev.parley.meeting.ClientMessage.LobbyDecision;
import dev.parley.meeting.ClientMessage.MediaState;
import dev.parley.meeting.ClientMessage.Moderate;
import dev.parley.meeting.ClientMessage.Ping;
import dev.parley.meeting.ClientMessage.Quality;
import dev.parley.meeting.ClientMessage.Reaction;
import dev.parley.meeting.ClientMessage.Resume;
import dev.parley.meeting.ClientMessage.ScreenShare;
import dev.parley.meeting.ClientMessage.TileSizes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Signalling messages to and from JSON text (docs/signaling.md): the one place a client message is checked for shape,
 * and a server message written. No sockets and no state, so it is safe from any thread.
 *
 * <p>A client message is read in two steps, {@link #open} (size, JSON, an object with a string type) and {@link #read}
 * (the type's fields), so that a caller can refuse a message its sender may not send now before looking at its
 * fields, as the protocol always has: a guest's lobby-decision is forbidden whatever it holds.
 */
@Component
public class SignalingCodec {

    private static final Pattern UNPAIRED_SURROGATE = Pattern.compile("\\p{Cs}");

    /** The longest message read, in bytes of UTF-8 (the WebSocket payload length), but for an answer. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /**
     * The longest answer. A browser's answer has an m-section for every track it receives, about 1.3 KB for each
     * person sending camera and microphone, so 64 KiB held a meeting to about 45 such senders; this holds about 400.
     */
    public static final int MAX_ANSWER_BYTES = 512 * 1024;
    private static final String ANSWER = "answer";

    /** Reads the fields of each client message type; every record of {@link ClientMessage} has one. */
    private static final Map<Class<? extends ClientMessage>, Function<JsonNode, ClientMessage>> READERS = Map.ofEntries(
            Map.entry(Join.class, SignalingCodec::join),
            Map.entry(Resume.class, body -> new Resume(requireText(body, "token"), requireText(body, "slug"))),
            Map.entry(Answer.class, SignalingCodec::answer),
            Map.entry(MediaState.class, SignalingCodec::mediaState),
            Map.entry(TileSizes.class, SignalingCodec::tileSizes),
            Map.entry(LobbyDecision.class, SignalingCodec::lobbyDecision),
            Map.entry(Chat.class, SignalingCodec::chat),
            Map.entry(ScreenShare.class, SignalingCodec::screenShare),
            Map.entry(Moderate.class, SignalingCodec::moderate),
            Map.entry(Hand.class, body -> new Hand(requireBoolean(body, "raised", "hand"))),
            Map.entry(Reaction.class, SignalingCodec::reaction),
            Map.entry(Quality.class, SignalingCodec::quality),
            Map.entry(Leave.class, body -> new Leave()),
            Map.entry(Ping.class, body -> new Ping(body.get("id"))));

    /** The client message types by their name on the wire. */
    private static final Map<String, Class<? extends ClientMessage>> CLIENT_TYPES = Arrays
            .stream(ClientMessage.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(ClientMessage.class))
            .collect(Collectors.toUnmodifiableMap(SignalingCodec::typeName, type -> type));

    static {
        if (!READERS.keySet().equals(Set.copyOf(CLIENT_TYPES.values()))) {
            throw new IllegalStateException("every ClientMessage record needs a reader in SignalingCodec");
        }
    }

    private final ObjectMapper json;
    private final ObjectWriter serverWriter;

    public SignalingCodec(ObjectMapper json) {
        this.json = json;
        this.serverWriter = json.writerFor(ServerMessage.class);
    }

    /** A client message whose envelope is sound: a JSON object with a string type, not yet known to be a known one. */
    public record Envelope(String type, JsonNode body) {
    }

    /** The name of a message record on the wire, its {@link JsonTypeName}. */
    public static String typeName(Class<?> message) {
        JsonTypeName name = message.getAnnotation(JsonTypeName.class);
        if (name == null) {
            throw new IllegalArgumentException(message + " has no @JsonTypeName");
        }
        return name.value();
    }

    /**
     * Checks the size, the JSON and the envelope of a text frame; refuses with too-large, bad-json or bad-message. An
     * answer may be up to {@link #MAX_ANSWER_BYTES}, any other message up to {@link #MAX_MESSAGE_BYTES}.
     */
    public Envelope open(String text) {
        int bytes = text.length() > MAX_MESSAGE_BYTES / 3 ? text.getBytes(StandardCharsets.UTF_8).length : 0;
        if (bytes > MAX_ANSWER_BYTES) {
            throw tooLarge();
        }
        if (bytes <= MAX_MESSAGE_BYTES) {
            return parse(text);
        }
        Envelope envelope;
        try {
            envelope = parse(text);
        } catch (Refusal notAMessage) {
            throw tooLarge();
        }
        if (!ANSWER.equals(envelope.type())) {
            throw tooLarge();
        }
        return envelope;
    }

    static Refusal tooLarge() {
        return new Refusal("too-large", "Messages are limited to " + MAX_MESSAGE_BYTES + " characters, answers to "
                + MAX_ANSWER_BYTES + ".");
    }

    private Envelope parse(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Refusal("bad-json", "The message is not valid JSON.");
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new Refusal("bad-message", "A message is a JSON object with a string field \"type\".");
        }
        return new Envelope(node.get("type").asText(), node);
    }

    /** The record a message's type names; refuses an unknown type with unknown-type. */
    public Class<? extends ClientMessage> kindOf(Envelope envelope) {
        Class<? extends ClientMessage> kind = CLIENT_TYPES.get(envelope.type());
        if (kind == null) {
            throw new Refusal("unknown-type", "Unknown message type.");
        }
        return kind;
    }

    /** Reads a message's fields; refuses with unknown-type, or bad-message naming the first field that is wrong. */
    public ClientMessage read(Envelope envelope) {
        return READERS.get(kindOf(envelope)).apply(envelope.body());
    }

    /**
     * The JSON text of a server message, its type first. Half of a surrogate pair in any of its strings (a name an
     * identity provider gave, say; what participants type is refused, see VisibleText) becomes U+FFFD: the container
     * cannot encode it in UTF-8, and the send would fail and close the socket of everyone it went to.
     */
    public String write(ServerMessage message) {
        try {
            return wellFormed(serverWriter.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + message, e);
        }
    }

    /** The text with each unpaired surrogate replaced by U+FFFD (a pattern sees a pair as one code point). */
    static String wellFormed(String text) {
        Matcher unpaired = UNPAIRED_SURROGATE.matcher(text);
        return unpaired.find() ? unpaired.replaceAll("\uFFFD") : text;
    }

    // ------------------------------------------------------------------ the client message types

    private static Join join(JsonNode body) {
        return new Join(requireText(body, "ticket"), optionalBoolean(body, "audio", true),
                optionalBoolean(body, "video", true));
    }

    private static Answer answer(JsonNode body) {
        return new Answer(requireInt(body, "version"), requireText(body, "sdp"));
    }

    private static MediaState mediaState(JsonNode body) {
        if (!body.path("audio").isBoolean() || !body.path("video").isBoolean()) {
            throw new Refusal("bad-message", "media-state needs boolean fields audio and video.");
        }
        return new MediaState(body.get("audio").asBoolean(), body.get("video").asBoolean());
    }

    /** A tile for every video of a full room (500 people, and their shares); larger than any screen. */
    static final int MAX_TILES = 1_000;
    static final int MAX_TILE_PIXELS = 16384;

    private static TileSizes tileSizes(JsonNode body) {
        JsonNode tiles = body.get("tiles");
        if (tiles == null || !tiles.isArray() || tiles.size() > MAX_TILES) {
            throw new Refusal("bad-message", "tile-sizes needs an array tiles of at most " + MAX_TILES + " entries.");
        }
        List<TileSizes.Tile> read = new ArrayList<>();
        for (JsonNode tile : tiles) {
            if (!tile.isObject()) {
                throw new Refusal("bad-message", "Each tile is an object with mid, width and height.");
            }
            String mid = requireText(tile, "mid");
            int width = requireInt(tile, "width");
            int height = requireInt(tile, "height");
            if (mid.length() > 32 || width < 0 || height < 0 || width > MAX_TILE_PIXELS || height > MAX_TILE_PIXELS) {
                throw new Refusal("bad-message", "A tile has a mid of at most 32 characters and a width and height "
                        + "from 0 to " + MAX_TILE_PIXELS + ".");
            }
            read.add(new TileSizes.Tile(mid, width, height));
        }
        JsonNode version = body.get("version");
        if (version != null && !version.isNull() && (!version.canConvertToInt() || !version.isIntegralNumber()
                || version.asInt() < 0)) {
            throw new Refusal("bad-message", "The field \"version\" is the number of the offer whose tracks the "
                    + "tiles are for.");
        }
        return new TileSizes(List.copyOf(read), version == null || version.isNull() ? -1 : version.asInt());
    }

    private static LobbyDecision lobbyDecision(JsonNode body) {
        String participantId = requireText(body, "participantId");
        if (!body.path("admit").isBoolean()) {
            throw new Refusal("bad-message", "lobby-decision needs a boolean field admit.");
        }
        return new LobbyDecision(participantId, body.get("admit").asBoolean());
    }

    private static Chat chat(JsonNode body) {
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual()) {
            throw new Refusal("bad-message", "chat needs a string field text.");
        }
        JsonNode to = body.get("to");
        if (to != null && !to.isNull() && (!to.isTextual() || to.asText().isEmpty() || to.asText().length() > 64)) {
            throw new Refusal("bad-message", "The field \"to\" is a participant id, or null for everyone.");
        }
        return new Chat(text.asText(), to == null || to.isNull() ? null : to.asText());
    }

    private static ScreenShare screenShare(JsonNode body) {
        return new ScreenShare(requireBoolean(body, "active", "screen-share"));
    }

    private static Reaction reaction(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !Reactions.NAMES.contains(name.asText())) {
            throw new Refusal("bad-message", "reaction needs a name: " + String.join(", ", Reactions.NAMES) + ".");
        }
        return new Reaction(name.asText());
    }

    private static Quality quality(JsonNode body) {
        JsonNode level = body.get("level");
        ConnectionQuality read = level == null || !level.isTextual() ? null : ConnectionQuality.named(level.asText());
        if (read == null || read == ConnectionQuality.UNKNOWN) {
            throw new Refusal("bad-message", "quality needs a level: good, fair or poor.");
        }
        return new Quality(read);
    }

    /** Participant ids are "p-" and 16 hex digits; anything much longer is no id. */
    private static final int MAX_PARTICIPANT_ID = 64;

    private static Moderate moderate(JsonNode body) {
        JsonNode name = body.get("action");
        Moderate.Action action = name == null || !name.isTextual() ? null : Moderate.Action.named(name.asText());
        if (action == null) {
            throw new Refusal("bad-message", "moderate needs an action: mute, mute-all, ask-unmute, stop-camera, "
                    + "remove, lock, unlock, admit-all, end, make-cohost, revoke-cohost, lower-hand or "
                    + "lower-all-hands.");
        }
        String participantId = null;
        if (action.targeted()) {
            participantId = requireText(body, "participantId");
            if (participantId.length() > MAX_PARTICIPANT_ID) {
                throw new Refusal("bad-message", "The field \"participantId\" is a participant id.");
            }
        } else if (body.hasNonNull("participantId")) {
            throw new Refusal("bad-message", "moderate " + action.wireName() + " concerns everyone: no participantId.");
        }
        boolean ban = optionalBoolean(body, "ban", false);
        if (ban && action != Moderate.Action.REMOVE) {
            throw new Refusal("bad-message", "Only remove takes ban.");
        }
        return new Moderate(action, participantId, ban);
    }

    private static String requireText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new Refusal("bad-message", "The field \"" + field + "\" must be a non-empty string.");
        }
        return value.asText();
    }

    private static boolean requireBoolean(JsonNode body, String field, String type) {
        if (!body.path(field).isBoolean()) {
            throw new Refusal("bad-message", type + " needs a boolean field " + field + ".");
        }
        return body.get(field).asBoolean();
    }

    private static int requireInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new Refusal("bad-message", "The field \"" + field + "\" must be an integer.");
        }
        return value.asInt();
    }

    private static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new Refusal("bad-message", "The field \"" + field + "\" must be true or false.");
        }
        return value.asBoolean();
    }
}
