package dev.parley.meeting;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rooms.Room;
import dev.parley.turn.IceServer;
import java.util.List;

/**
 * A message the server sends over the signalling socket (docs/signaling.md, "Server → client"): one record per type,
 * named on the wire by its {@link JsonTypeName}, which {@link SignalingCodec#write} puts first as {@code type}.
 * The records that are no message of their own ({@link ParticipantInfo}, {@link RoomInfo}, {@link Publish},
 * {@link Track}) are the objects messages carry.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public sealed interface ServerMessage {

    /**
     * You are in: your id, whether you are a host, the room, yourself and the others already there, the secret
     * that takes your place back after a dropped connection, and the TURN servers (with short-lived credentials) for
     * the peer connection, empty without TURN.
     */
    @JsonTypeName("welcome")
    record Welcome(String participantId, boolean host, RoomInfo room, ParticipantInfo self,
                   List<ParticipantInfo> participants, String resumeToken, long reconnectGraceMillis,
                   List<IceServer> iceServers, String fileKey)
            implements ServerMessage {

        static Welcome of(Participant self, RoomInfo room, List<Participant> others, String resumeToken,
                          long reconnectGraceMillis, List<IceServer> iceServers) {
            return new Welcome(self.id(), self.isHost(), room, ParticipantInfo.of(self),
                    others.stream().map(ParticipantInfo::of).toList(), resumeToken, reconnectGraceMillis, iceServers,
                    self.issueFileKey());
        }

        @Override
        public String toString() {
            return "Welcome[" + participantId + "]"; // never the tokens
        }
    }

    /**
     * You are back in your place after a resume: as a welcome, with the next resume token and fresh TURN credentials; a
     * new offer (version 1, for a new peer connection) follows.
     */
    @JsonTypeName("resumed")
    record Resumed(String participantId, boolean host, RoomInfo room, ParticipantInfo self,
                   List<ParticipantInfo> participants, String resumeToken, long reconnectGraceMillis,
                   List<IceServer> iceServers)
            implements ServerMessage {

        static Resumed of(Participant self, RoomInfo room, List<Participant> others, String resumeToken,
                          long reconnectGraceMillis, List<IceServer> iceServers) {
            return new Resumed(self.id(), self.isHost(), room, ParticipantInfo.of(self),
                    others.stream().map(ParticipantInfo::of).toList(), resumeToken, reconnectGraceMillis, iceServers);
        }

        @Override
        public String toString() {
            return "Resumed[" + participantId + "]"; // never the token
        }
    }

    /** The room has a lobby (waiting), or a host locked the meeting (locked): wait for a host. */
    @JsonTypeName("lobby")
    record Lobby(String state) implements ServerMessage {
        static Lobby waiting() {
            return new Lobby("waiting");
        }

        static Lobby locked() {
            return new Lobby("locked");
        }
    }

    /** To hosts: someone waits in the lobby. */
    @JsonTypeName("lobby-request")
    record LobbyRequest(ParticipantInfo participant) implements ServerMessage {
    }

    /** To hosts: that request was handled, by any host (or the one waiting left). */
    @JsonTypeName("lobby-resolved")
    record LobbyResolved(String participantId) implements ServerMessage {
    }

    /** A new SDP offer from the relay, to be answered with its version. */
    @JsonTypeName("offer")
    record Offer(int version, String sdp, Publish publish, List<Track> tracks) implements ServerMessage {

        /** The relay's offer; only its live tracks are listed. */
        static Offer of(dev.parley.relay.Offer offer) {
            return new Offer(offer.version(), offer.sdp(),
                    new Publish(offer.publishAudioMid(), offer.publishVideoMid(), offer.publishScreenMid()),
                    offer.tracks().stream().filter(dev.parley.relay.Offer.Track::active)
                            .map(t -> new Track(t.mid(), t.participantId(), t.kind(), t.source())).toList());
        }
    }

    @JsonTypeName("participant-joined")
    record ParticipantJoined(ParticipantInfo participant) implements ServerMessage {
    }

    /**
     * Someone muted, unmuted or switched the camera, lost host powers (sent to them too), dropped and is reconnecting,
     * or came back.
     */
    @JsonTypeName("participant-updated")
    record ParticipantUpdated(ParticipantInfo participant) implements ServerMessage {
    }

    /** @param reason left, disconnected or removed */
    @JsonTypeName("participant-left")
    record ParticipantLeft(String participantId, String reason) implements ServerMessage {
    }

    /** The room's dominant speaker changed, as the relay hears it; null when nobody speaks. */
    @JsonTypeName("active-speaker")
    record ActiveSpeaker(String participantId) implements ServerMessage {
    }

    /**
     * Last-N: the room has more video senders than the relay forwards, and only these participants' video is sent
     * (the most recent speakers); null when everyone's video is again.
     */
    @JsonTypeName("forwarded-video")
    record ForwardedVideo(List<String> participantIds) implements ServerMessage {
    }

    /**
     * To one participant: the relay does not send them these videos now, because their link cannot carry them beside
     * the audio and the videos that come first; empty when it sends every video again.
     *
     * @param mids the m-sections of the paused videos, as named in the offers
     */
    @JsonTypeName("paused-video")
    record PausedVideo(List<String> mids) implements ServerMessage {
    }

    /**
     * A chat message, to everyone in the room or (when {@code to} is set) only to its sender and that recipient.
     *
     * @param id unique within the meeting, for the client to tell messages apart (history and live copies)
     * @param text empty for a shared file
     * @param sentAt when the server accepted it, milliseconds since the epoch
     * @param file the shared file it carries, or null
     * @param earlier sent in an earlier meeting of a room that keeps its chat (its sender's participant id is empty)
     */
    @JsonTypeName("chat")
    record Chat(String id, ChatSender from, @JsonInclude(JsonInclude.Include.NON_NULL) String to, String text,
                long sentAt, @JsonInclude(JsonInclude.Include.NON_NULL) Attachment file,
                @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean earlier) implements ServerMessage {

        Chat(String id, ChatSender from, String to, String text, long sentAt) {
            this(id, from, to, text, sentAt, null, false);
        }

        @Override
        public String toString() {
            return "Chat[" + id + "]"; // never the text
        }
    }

    /**
     * The meeting's chat so far, as this participant may see it (the public messages and its own private ones),
     * oldest first; sent right after {@code welcome} and {@code resumed}.
     */
    @JsonTypeName("chat-history")
    record ChatHistory(List<Chat> messages) implements ServerMessage {
        @Override
        public String toString() {
            return "ChatHistory[" + messages.size() + "]";
        }
    }

    /** A refused message: the code, a text safe to show, and the type of the message refused, when known. */
    @JsonTypeName("error")
    record Error(String code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String ref)
            implements ServerMessage {

        static Error of(Refusal refusal, String ref) {
            return new Error(refusal.code(), refusal.getMessage(), ref);
        }
    }

    /** The answer to a ping, with its id when it had one (any JSON value, null included). */
    @JsonTypeName("pong")
    record Pong(@JsonInclude(JsonInclude.Include.NON_NULL) JsonNode id) implements ServerMessage {
    }

    /** The server ends the session; the socket closes next. */
    @JsonTypeName("bye")
    record Bye(ByeReason reason) implements ServerMessage {
    }

    /**
     * To the participant a host control concerns (docs/signaling.md, section 8): what was done or asked (mute,
     * ask-unmute, stop-camera, remove, end, make-cohost, revoke-cohost, lower-hand) and by whom. A removal or an end is followed
     * by {@code bye}; {@code ban} is true on a removal that does not let them back; {@code admin} is true when an
     * administrator did it from Admin → Live, from outside the meeting.
     */
    @JsonTypeName("moderated")
    record Moderated(ClientMessage.Moderate.Action action, ChatSender by,
                     @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean ban,
                     @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean admin) implements ServerMessage {

        static Moderated of(ClientMessage.Moderate.Action action, Participant by, boolean ban) {
            return new Moderated(action, new ChatSender(by.id(), by.displayName()), ban, false);
        }

        /** The admin is in no meeting: the notice names them with no participant id. */
        static Moderated byAdmin(ClientMessage.Moderate.Action action, String displayName) {
            return new Moderated(action, new ChatSender("", displayName), false, true);
        }
    }

    /**
     * The meeting's own state, to everyone in it: whether a host locked it (newcomers wait in the lobby), and whether
     * it is recorded (since when, by whom: empty when the room records by itself; null when it is not). Sent when
     * either changes, and after welcome and resumed while the meeting is locked or recorded. {@code recordingEnded}
     * says why a recording just ended (stopped, disk-full, failed), in the message that says so only.
     */
    @JsonTypeName("room-state")
    record RoomState(boolean locked, RecordingInfo recording, String recordingEnded) implements ServerMessage {

        static RoomState of(LiveRoom live) {
            MeetingRecording.Active active = live.recording();
            return new RoomState(live.isLocked(), active == null ? null
                    : new RecordingInfo(active.since(), active.startedBy()), null);
        }

        static RoomState ended(LiveRoom live, String reason) {
            return new RoomState(live.isLocked(), null, reason);
        }

        /** Whether a newcomer needs to be told: the meeting is locked or recorded. */
        static boolean worthTelling(LiveRoom live) {
            return live.isLocked() || live.recording() != null;
        }
    }

    /** @param since milliseconds since the epoch */
    record RecordingInfo(long since, String startedBy) {
    }

    /** A reaction, to everyone in the room (its sender included): who, and which ({@link Reactions#NAMES}). */
    @JsonTypeName("reaction")
    record Reaction(String participantId, String name) implements ServerMessage {
    }

    /**
     * A participant as others see it; connection is connected or reconnecting; cohost: a host made them a co-host
     * for this meeting; hand: when they raised their hand (milliseconds since the epoch, which orders the queue),
     * null when it is down; quality: their connection as their page reports it (unknown, good, fair or poor).
     */
    record ParticipantInfo(String id, String displayName, boolean audio, boolean video, boolean host, String kind,
                           String connection, boolean cohost, Long hand, ConnectionQuality quality) {

        static ParticipantInfo of(Participant p) {
            return new ParticipantInfo(p.id(), p.displayName(), p.audio(), p.video(), p.isHost(),
                    p.kind() == Participant.Kind.WHIP ? "whip" : "browser",
                    p.connection() == Participant.Connection.RECONNECTING ? "reconnecting" : "connected",
                    p.isCohost(), p.handRaisedAt(), p.quality());
        }
    }

    /**
     * A file shared in the chat, downloaded from {@code /r/{slug}/files/{id}} with the participant's file key.
     *
     * @param type what the server found it holds (a media type)
     */
    record Attachment(String id, String name, long size, String type) {
    }

    /** Who sent a chat message, by the name they had when they sent it. */
    record ChatSender(String participantId, String displayName) {
    }

    /** The room, and when its meeting began (milliseconds since the epoch; the first person came in). */
    /** @param chatKept the room keeps its chat to everyone (and its files) after the meeting */
    record RoomInfo(String title, String slug, long startedAt, boolean chatKept) {

        static RoomInfo of(Room room, LiveRoom live) {
            return new RoomInfo(room.getTitle(), room.getSlug(), live.startedAt(), room.isChatKept());
        }
    }

    /**
     * The mids the client publishes its audio, video and screen share into; null when there is none (the screen's
     * until the participant first shares).
     */
    record Publish(String audio, String video, String screen) {
    }

    /**
     * @param kind audio or video
     * @param source microphone, camera or screen
     */
    record Track(String mid, String participantId, String kind, String source) {
    }
}
