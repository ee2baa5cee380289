package dev.parley.meeting;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A message a client sends over the signalling socket (docs/signaling.md, "Client → server"): one record per type,
 * named on the wire by its {@link JsonTypeName}. Plain data, already checked: {@link SignalingCodec} builds them and
 * refuses anything malformed, so a record never holds a missing or mistyped field.
 */
public sealed interface ClientMessage {

    /** Enter the room (or its lobby); audio and video say what the client will send (true when left out). */
    @JsonTypeName("join")
    record Join(String ticket, boolean audio, boolean video) implements ClientMessage {
    }

    /**
     * Take a dropped participant's place back in the room with that slug, with the resume token of its last welcome
     * (or resumed).
     */
    @JsonTypeName("resume")
    record Resume(String token, String slug) implements ClientMessage {
        @Override
        public String toString() {
            return "Resume[]"; // never the token
        }
    }

    /** The SDP answer to the server's offer with that version. */
    @JsonTypeName("answer")
    record Answer(int version, String sdp) implements ClientMessage {
    }

    /** Microphone unmuted, camera on: shown to the others; the tracks stay negotiated. */
    @JsonTypeName("media-state")
    record MediaState(boolean audio, boolean video) implements ClientMessage {
    }

    /**
     * The sizes the client shows the video tracks it receives at, in device pixels, by m-section id; 0 x 0 for a
     * track not on screen. The relay sends each the smallest layer that fills it. {@code version}: the offer whose
     * track list the client read (a section may carry another track since an older one), -1 when not said.
     */
    @JsonTypeName("tile-sizes")
    record TileSizes(List<Tile> tiles, int version) implements ClientMessage {

        /** One received video track's tile. */
        public record Tile(String mid, int width, int height) {
        }
    }

    /** Hosts only: let a waiting participant in, or turn them away. */
    @JsonTypeName("lobby-decision")
    record LobbyDecision(String participantId, boolean admit) implements ClientMessage {
    }

    /**
     * A chat message to everyone in the room, or (with {@code to}, a participant id) privately to one participant;
     * {@code to} is null for everyone. The text is as sent: {@link MeetingChat} trims and limits it.
     */
    @JsonTypeName("chat")
    record Chat(String text, String to) implements ClientMessage {
        @Override
        public String toString() {
            return "Chat[" + (to == null ? "everyone" : to) + "]"; // never the text
        }
    }

    /**
     * Start sharing the screen (the server then offers a section to send it on) or stop (everyone's copy ends at
     * once).
     */
    @JsonTypeName("screen-share")
    record ScreenShare(boolean active) implements ClientMessage {
    }

    /** Raise your hand (take a place in the queue of those who want to speak), or lower it. */
    @JsonTypeName("hand")
    record Hand(boolean raised) implements ClientMessage {
    }

    /** A reaction everyone sees for a moment, by its name ({@link Reactions#NAMES}). */
    @JsonTypeName("reaction")
    record Reaction(String name) implements ClientMessage {
    }

    /**
     * The sender's connection quality as its page measures it (loss and round trip of what it sends and receives),
     * shown to the others next to its name.
     */
    @JsonTypeName("quality")
    record Quality(ConnectionQuality level) implements ClientMessage {
    }

    /**
     * Hosts and co-hosts only: a host control (docs/signaling.md, section 8). {@code participantId} names whom it
     * concerns for the actions that concern one person ({@link Action#targeted}), and is null for the others;
     * {@code ban} only goes with {@link Action#REMOVE}: removed and not let back into this meeting.
     */
    @JsonTypeName("moderate")
    record Moderate(Action action, String participantId, boolean ban) implements ClientMessage {

        /** What a host asks for, by its name on the wire. */
        public enum Action {
            MUTE("mute", true),
            MUTE_ALL("mute-all", false),
            ASK_UNMUTE("ask-unmute", true),
            STOP_CAMERA("stop-camera", true),
            REMOVE("remove", true),
            LOCK("lock", false),
            UNLOCK("unlock", false),
            ADMIT_ALL("admit-all", false),
            RECORD("record", false),
            STOP_RECORDING("stop-recording", false),
            END("end", false),
            MAKE_COHOST("make-cohost", true),
            REVOKE_COHOST("revoke-cohost", true),
            LOWER_HAND("lower-hand", true),
            LOWER_ALL_HANDS("lower-all-hands", false);

            private final String wireName;
            private final boolean targeted;

            Action(String wireName, boolean targeted) {
                this.wireName = wireName;
                this.targeted = targeted;
            }

            @com.fasterxml.jackson.annotation.JsonValue
            public String wireName() {
                return wireName;
            }

            /** Whether the action concerns one participant, named by participantId. */
            public boolean targeted() {
                return targeted;
            }

            /** The action with that wire name, or null. */
            public static Action named(String wireName) {
                for (Action action : values()) {
                    if (action.wireName.equals(wireName)) {
                        return action;
                    }
                }
                return null;
            }
        }
    }

    /** Leave the room; the server closes the socket. */
    @JsonTypeName("leave")
    record Leave() implements ClientMessage {
    }

    /** Keep-alive. The id is any JSON value the client chose, echoed in the pong; null when it sent none. */
    @JsonTypeName("ping")
    record Ping(JsonNode id) implements ClientMessage {
    }
}
