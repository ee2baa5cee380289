package dev.parley.relay.negotiation;

import dev.parley.relay.router.MediaKind;
import java.util.List;

/**
 * An offer for a browser: the SDP, the mids the client publishes into (null when none), and which participant's track
 * each other mid carries.
 */
public record TransportOffer(int version, String sdp, String publishAudioMid, String publishVideoMid,
                             List<Track> tracks) {

    public record Track(String mid, String participantId, MediaKind kind, boolean active) {
    }
}
