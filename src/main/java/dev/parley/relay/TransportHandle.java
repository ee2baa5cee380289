package dev.parley.relay;

/**
 * The web app's name for one transport in the relay: what it is and whose it is, nothing it could call. The relay
 * finds the transport behind it by id; a handle to a closed transport is simply ignored.
 *
 * @param id the relay's id for the transport (a random UUID)
 * @param kind who is at the other end
 * @param participantId the participant it belongs to (for a WHEP player: the viewer's own id)
 */
public record TransportHandle(String id, Kind kind, String participantId) {

    public enum Kind {
        /** A browser in a meeting: the relay offers, the browser answers; publishes and subscribes. */
        BROWSER,
        /** A WHIP ingest client: offers, publishes only. */
        WHIP,
        /** A WHEP player: offers, subscribes to one participant only. */
        WHEP
    }
}
