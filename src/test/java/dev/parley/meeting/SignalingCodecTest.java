package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.parley.meeting.ClientMessage.Answer;
import dev.parley.meeting.ClientMessage.Join;
import dev.parley.meeting.ClientMessage.Leave;
import dev.parley.meeting.ClientMessage.LobbyDecision;
import dev.parley.meeting.ClientMessage.MediaState;
import dev.parley.meeting.ClientMessage.Ping;
import dev.parley.turn.IceServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The codec alone: client messages in, with every refusal, and server messages out, as exact JSON. */
class SignalingCodecTest {

    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json().build();
    private final SignalingCodec codec = new SignalingCodec(JSON);

    private ClientMessage read(String text) {
        return codec.read(codec.open(text));
    }

    private String refusal(String text) {
        try {
            read(text);
        } catch (Refusal refused) {
            return refused.code() + ": " + refused.getMessage();
        }
        throw new AssertionError("not refused: " + text);
    }

    @Test
    void everyClientMessageType() {
        assertThat(read("{\"type\":\"join\",\"ticket\":\"t.s\",\"audio\":false,\"video\":true}"))
                .isEqualTo(new Join("t.s", false, true));
        assertThat(read("{\"type\":\"join\",\"ticket\":\"t.s\",\"audio\":null}"))
                .isEqualTo(new Join("t.s", true, true));
        assertThat(read("{\"type\":\"answer\",\"version\":3,\"sdp\":\"v=0\"}")).isEqualTo(new Answer(3, "v=0"));
        assertThat(read("{\"type\":\"media-state\",\"audio\":false,\"video\":true}"))
                .isEqualTo(new MediaState(false, true));
        assertThat(read("{\"type\":\"tile-sizes\",\"tiles\":[{\"mid\":\"3\",\"width\":640,\"height\":360}]}"))
                .isEqualTo(new ClientMessage.TileSizes(List.of(new ClientMessage.TileSizes.Tile("3", 640, 360)), -1));
        assertThat(read("{\"type\":\"tile-sizes\",\"version\":4,\"tiles\":[]}"))
                .isEqualTo(new ClientMessage.TileSizes(List.of(), 4));
        assertThat(read("{\"type\":\"lobby-decision\",\"participantId\":\"p-1\",\"admit\":false}"))
                .isEqualTo(new LobbyDecision("p-1", false));
        assertThat(read("{\"type\":\"leave\",\"extra\":1}")).isEqualTo(new Leave());
        assertThat(read("{\"type\":\"ping\",\"id\":7}")).isEqualTo(new Ping(IntNode.valueOf(7)));
        assertThat(read("{\"type\":\"ping\",\"id\":null}")).isEqualTo(new Ping(NullNode.getInstance()));
        assertThat(read("{\"type\":\"ping\"}")).isEqualTo(new Ping(null));
    }

    @Test
    void refusalsNameTheFirstProblem() {
        assertThat(refusal("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(33_000) + "\"}"))
                .startsWith("too-large: Messages are limited to 65536");
        assertThat(read("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(65_000) + "\"}")).isEqualTo(new Ping(null));
        // An answer may be larger: a browser's, in a meeting of many senders.
        assertThat(read("{\"type\":\"answer\",\"version\":2,\"sdp\":\"" + "x".repeat(400_000) + "\"}"))
                .isEqualTo(new Answer(2, "x".repeat(400_000)));
        assertThat(refusal("{\"type\":\"answer\",\"version\":2,\"sdp\":\"" + "x".repeat(530_000) + "\"}"))
                .isEqualTo("too-large: Messages are limited to 65536 characters, answers to 524288.");
        assertThat(refusal("{\"pad\":\"" + "x".repeat(70_000) + "\",\"type\":\"answer\"")).as("not JSON, and large")
                .startsWith("too-large:");
        assertThat(refusal("not json")).isEqualTo("bad-json: The message is not valid JSON.");
        assertThat(refusal("")).startsWith("bad-message: A message is a JSON object");
        assertThat(refusal("[1]")).startsWith("bad-message: A message is a JSON object");
        assertThat(refusal("{\"type\":7}")).startsWith("bad-message: A message is a JSON object");
        assertThat(refusal("{\"type\":\"dance\"}")).isEqualTo("unknown-type: Unknown message type.");
        assertThat(refusal("{\"type\":\"join\",\"ticket\":\"\"}"))
                .isEqualTo("bad-message: The field \"ticket\" must be a non-empty string.");
        assertThat(refusal("{\"type\":\"join\",\"ticket\":\"t\",\"audio\":\"yes\"}"))
                .isEqualTo("bad-message: The field \"audio\" must be true or false.");
        assertThat(refusal("{\"type\":\"answer\",\"version\":1.5,\"sdp\":\"v=0\"}"))
                .isEqualTo("bad-message: The field \"version\" must be an integer.");
        assertThat(refusal("{\"type\":\"answer\",\"version\":4294967296,\"sdp\":\"v=0\"}"))
                .isEqualTo("bad-message: The field \"version\" must be an integer.");
        assertThat(refusal("{\"type\":\"answer\",\"version\":1}"))
                .isEqualTo("bad-message: The field \"sdp\" must be a non-empty string.");
        assertThat(refusal("{\"type\":\"media-state\",\"audio\":true}"))
                .isEqualTo("bad-message: media-state needs boolean fields audio and video.");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"tiles\":{}}"))
                .isEqualTo("bad-message: tile-sizes needs an array tiles of at most 1000 entries.");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"tiles\":[" + "{\"mid\":\"1\",\"width\":1,\"height\":1},".repeat(1_000)
                + "{\"mid\":\"1\",\"width\":1,\"height\":1}]}"))
                .isEqualTo("bad-message: tile-sizes needs an array tiles of at most 1000 entries.");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"version\":-1,\"tiles\":[]}"))
                .startsWith("bad-message: The field \"version\" is the number of the offer");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"version\":\"2\",\"tiles\":[]}"))
                .startsWith("bad-message: The field \"version\" is the number of the offer");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"tiles\":[7]}"))
                .isEqualTo("bad-message: Each tile is an object with mid, width and height.");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"tiles\":[{\"mid\":\"1\",\"width\":-1,\"height\":1}]}"))
                .startsWith("bad-message: A tile has a mid of at most 32 characters");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"tiles\":[{\"mid\":\"1\",\"width\":99999,\"height\":1}]}"))
                .startsWith("bad-message: A tile has a mid of at most 32 characters");
        assertThat(refusal("{\"type\":\"tile-sizes\",\"tiles\":[{\"width\":1,\"height\":1}]}"))
                .isEqualTo("bad-message: The field \"mid\" must be a non-empty string.");
        assertThat(refusal("{\"type\":\"lobby-decision\",\"admit\":true}"))
                .isEqualTo("bad-message: The field \"participantId\" must be a non-empty string.");
        assertThat(refusal("{\"type\":\"lobby-decision\",\"participantId\":\"p\",\"admit\":1}"))
                .isEqualTo("bad-message: lobby-decision needs a boolean field admit.");
    }

    @Test
    void theTypeIsKnownBeforeTheFields() {
        SignalingCodec.Envelope envelope = codec.open("{\"type\":\"lobby-decision\"}");
        assertThat(envelope.type()).isEqualTo("lobby-decision");
        assertThat(codec.kindOf(envelope)).isEqualTo(LobbyDecision.class);
        assertThatThrownBy(() -> codec.read(envelope)).isInstanceOf(Refusal.class);
    }

    @Test
    void halfOfASurrogatePairIsWrittenAsTheReplacementCharacterAndPairsStay() {
        String json = codec.write(new ServerMessage.ParticipantLeft("p-\ud83d 😀 \ude00", "left"));
        assertThat(json).contains("p-\uFFFD 😀 \uFFFD");
        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(json)).as("UTF-8 carries it").isTrue();
        String plain = codec.write(new ServerMessage.ParticipantLeft("p-2", "left"));
        assertThat(SignalingCodec.wellFormed(plain)).isSameAs(plain);
    }

    @Test
    void serverMessagesAsJson() {
        ServerMessage.ParticipantInfo ada = new ServerMessage.ParticipantInfo("p-1", "Ada", true, false, false,
                "browser", "connected", false, null, ConnectionQuality.UNKNOWN);
        assertThat(codec.write(new ServerMessage.Welcome("p-1", false, new ServerMessage.RoomInfo("Standup", "abc", 1700000000000L, false),
                ada, List.of(), "t0k3n", 30_000, List.of(new IceServer(List.of("turn:turn.example.org:3478"),
                        "1700000000:p-1", "cHc=")), "f1l3k3y"))).isEqualTo("{\"type\":\"welcome\",\"participantId\":\"p-1\",\"host\":false,"
                + "\"room\":{\"title\":\"Standup\",\"slug\":\"abc\",\"startedAt\":1700000000000,\"chatKept\":false},\"self\":{\"id\":\"p-1\",\"displayName\":\"Ada\","
                + "\"audio\":true,\"video\":false,\"host\":false,\"kind\":\"browser\",\"connection\":\"connected\","
                + "\"cohost\":false,\"hand\":null,\"quality\":\"unknown\"},\"participants\":[],\"resumeToken\":\"t0k3n\",\"reconnectGraceMillis\":30000,"
                + "\"iceServers\":[{\"urls\":[\"turn:turn.example.org:3478\"],\"username\":\"1700000000:p-1\","
                + "\"credential\":\"cHc=\"}],\"fileKey\":\"f1l3k3y\"}");
        assertThat(codec.write(ServerMessage.Lobby.waiting())).isEqualTo("{\"type\":\"lobby\",\"state\":\"waiting\"}");
        assertThat(codec.write(new ServerMessage.Offer(2, "v=0", new ServerMessage.Publish("0", null, null),
                List.of(new ServerMessage.Track("2", "p-2", "audio", "microphone")))))
                .isEqualTo("{\"type\":\"offer\",\"version\":2,\"sdp\":\"v=0\","
                + "\"publish\":{\"audio\":\"0\",\"video\":null,\"screen\":null},"
                + "\"tracks\":[{\"mid\":\"2\",\"participantId\":\"p-2\",\"kind\":\"audio\",\"source\":\"microphone\"}]}");
        assertThat(codec.write(new ServerMessage.ParticipantLeft("p-2", "left")))
                .isEqualTo("{\"type\":\"participant-left\",\"participantId\":\"p-2\",\"reason\":\"left\"}");
        assertThat(codec.write(new ServerMessage.Error("bad-json", "No.", null)))
                .isEqualTo("{\"type\":\"error\",\"code\":\"bad-json\",\"message\":\"No.\"}");
        assertThat(codec.write(new ServerMessage.Error("forbidden", "No.", "join")))
                .isEqualTo("{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"No.\",\"ref\":\"join\"}");
        assertThat(codec.write(new ServerMessage.Pong(null))).isEqualTo("{\"type\":\"pong\"}");
        assertThat(codec.write(new ServerMessage.Pong(NullNode.getInstance())))
                .isEqualTo("{\"type\":\"pong\",\"id\":null}");
        assertThat(codec.write(new ServerMessage.Bye(ByeReason.DENIED))).isEqualTo("{\"type\":\"bye\",\"reason\":\"denied\"}");
    }
}
