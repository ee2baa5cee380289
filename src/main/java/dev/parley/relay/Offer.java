package dev.parley.relay;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An offer for a browser: the SDP, the mids the client publishes into (null when none; the screen share's only once the
 * participant was allowed to share), and which participant's track, from which source, each other mid carries. The
 * relay builds the offer on its loop; the SDP text is written the first time {@link #sdp()} is called, on the caller's
 * thread, so writing it never holds up media.
 */
public final class Offer {

    private final int version;
    private final Supplier<String> writer;
    private final String publishAudioMid;
    private final String publishVideoMid;
    private final String publishScreenMid;
    private final List<Track> tracks;
    private volatile String sdp;

    Offer(int version, Supplier<String> writer, String publishAudioMid, String publishVideoMid, String publishScreenMid,
          List<Track> tracks) {
        this.version = version;
        this.writer = Objects.requireNonNull(writer);
        this.publishAudioMid = publishAudioMid;
        this.publishVideoMid = publishVideoMid;
        this.publishScreenMid = publishScreenMid;
        this.tracks = List.copyOf(tracks);
    }

    /**
     * An offer another node's relay made (cascading: the meeting's signalling runs on its home node, the transport on
     * a media node), rebuilt from what that node sent.
     */
    public static Offer of(int version, String sdp, String publishAudioMid, String publishVideoMid,
                           String publishScreenMid, List<Track> tracks) {
        Objects.requireNonNull(sdp);
        return new Offer(version, () -> sdp, publishAudioMid, publishVideoMid, publishScreenMid, tracks);
    }

    /** The offer's number; the answer names it. */
    public int version() {
        return version;
    }

    public String sdp() {
        String text = sdp;
        if (text == null) {
            text = writer.get(); // two racing callers write the same text; no lock needed
            sdp = text;
        }
        return text;
    }

    public String publishAudioMid() {
        return publishAudioMid;
    }

    public String publishVideoMid() {
        return publishVideoMid;
    }

    /** The mid the client publishes its screen share into; null before it was first allowed to share. */
    public String publishScreenMid() {
        return publishScreenMid;
    }

    public List<Track> tracks() {
        return tracks;
    }

    /**
     * One received track.
     *
     * @param kind "audio" or "video", as in SDP
     * @param source "microphone", "camera" or "screen"
     * @param active false once its producer is gone (the m-section is then inactive)
     */
    public record Track(String mid, String participantId, String kind, String source, boolean active) {
    }
}
