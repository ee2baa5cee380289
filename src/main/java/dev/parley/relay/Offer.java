package dev.parley.relay;

import java.util.List;

/**
 * An offer for a browser: the SDP, the mids the client publishes into (null when none), and which participant's track
 * each other mid carries.
 *
 * @param version the offer's number; the answer names it
 */
public record Offer(int version, String sdp, String publishAudioMid, String publishVideoMid, List<Track> tracks) {

    public Offer {
        tracks = List.copyOf(tracks);
    }

    /**
     * One received track.
     *
     * @param kind "audio" or "video", as in SDP
     * @param active false once its producer is gone (the m-section is then inactive)
     */
    public record Track(String mid, String participantId, String kind, boolean active) {
    }
}
