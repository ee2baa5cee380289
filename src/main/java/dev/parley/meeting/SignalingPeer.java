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
}
