package dev.parley.relay.negotiation;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.TrackSource;
import dev.parley.relay.sdp.SdpWriter;
import dev.parley.relay.sdp.SessionDescription;
import java.util.List;

/**
 * An offer for a browser: the session description (built on the loop, written out as text by whoever sends it, off the
 * loop), the mids the client publishes into (null when none; the screen's only once it shared), and which
 * participant's track, from which source, each other mid carries.
 * The description is not changed after the offer is made, so any thread may write it.
 */
public record TransportOffer(int version, SessionDescription description, String publishAudioMid,
                             String publishVideoMid, String publishScreenMid, List<Track> tracks) {

    /** The SDP text; written on each call. */
    public String sdp() {
        return SdpWriter.write(description);
    }

    public record Track(String mid, String participantId, MediaKind kind, TrackSource source, boolean active) {
    }
}
