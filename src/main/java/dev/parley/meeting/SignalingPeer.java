package dev.parley.meeting;

/** Where a participant's signalling messages go. WHIP participants have no socket: their peer ignores messages. */
public interface SignalingPeer {

    SignalingPeer NONE = new SignalingPeer() {
        @Override
        public void send(ServerMessage message) {
        }

        @Override
        public void close(ByeReason reason) {
        }
    };

    /** Queues a message; never blocks the caller. */
    void send(ServerMessage message);

    /** Sends {type: bye, reason} and closes the connection. */
    void close(ByeReason reason);

    /**
     * Closes the connection without a bye, so that the client resumes its place over a new one (docs/signaling.md,
     * section 4); nothing when it is closed already.
     */
    default void drop() {
    }
}
