package dev.parley.meeting;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the server ends a signalling session: the {@code reason} of a {@code bye} message, as docs/signaling.md lists. */
public enum ByeReason {
    /** A host turned the lobby request down. */
    DENIED("denied"),
    /** The room was cancelled or deleted. */
    ROOM_CLOSED("room-closed"),
    /**
     * The participant was taken out: their media connection was lost, their account was disabled or deleted, or a host
     * removed them (they may join again).
     */
    REMOVED("removed"),
    /** The server could not open the participant's media connection, or is stopping. */
    SERVER_SHUTDOWN("server-shutdown"),
    /** The connection kept sending after its messages were refused for their rate. */
    RATE_LIMITED("rate-limited"),
    /** A host removed the participant and does not let them back into this meeting. */
    BANNED("banned"),
    /** A host ended the meeting for everyone. */
    MEETING_ENDED("meeting-ended"),
    /**
     * The meeting moves to another node (this one is draining): the page joins again at once, through any node, and
     * lands on the meeting's new one.
     */
    MOVED("moved");

    private final String wireName;

    ByeReason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
