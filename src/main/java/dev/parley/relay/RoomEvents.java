package dev.parley.relay;

import java.util.List;

/**
 * What the relay tells the web app about its rooms (one listener for the whole relay, see
 * {@link Relay#setRoomEvents}). Called on the relay loop thread: implementations hand the work to another thread and
 * return at once.
 */
public interface RoomEvents {

    /** Nobody listens. */
    RoomEvents NONE = new RoomEvents() {
    };

    /**
     * The room's dominant speaker changed, judged from the audio levels its publishers send (at most every 300 ms).
     *
     * @param roomId the relay's room id, as given when the transports were opened
     * @param participantId who speaks now, or null when nobody does
     */
    default void onActiveSpeaker(String roomId, String participantId) {
    }

    /**
     * Last-N changed whose video the room's participants receive: the room has more video senders than the relay
     * forwards, and only these (the most recent speakers) are sent; null when everyone's video is again.
     *
     * @param participantIds the participants whose video is forwarded, or null for everyone
     */
    default void onForwardedVideo(String roomId, List<String> participantIds) {
    }
}
