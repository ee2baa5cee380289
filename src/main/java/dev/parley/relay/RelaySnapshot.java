package dev.parley.relay;

import java.util.List;
import java.util.Map;

/**
 * A consistent picture of the relay taken on its loop, for the admin dashboard. Drops are by reason in lower case, only
 * the reasons that happened.
 */
public record RelaySnapshot(long takenAtNanos, long packetsIn, long bytesIn, long packetsOut, long bytesOut,
                            Map<String, Long> drops, List<Room> rooms) {

    public record Room(String id, List<Transport> transports) {
    }

    /** The estimate comes from the peer's transport-wide congestion control feedback. */
    public static final String TRANSPORT_CC = "transport-cc";
    /** The estimate is a ceiling from the peer's REMB (it did not negotiate transport-wide feedback). */
    public static final String REMB = "remb";

    /**
     * @param receiveEstimate what the relay judges the peer can receive, bit/s; -1 while no limit is known
     * @param estimateSource where that comes from: {@link #TRANSPORT_CC} or {@link #REMB}
     * @param remb the peer's last REMB, bit/s; -1 before the first
     * @param receiving the video it receives: whose, and which layer
     */
    public record Transport(String id, String participantId, String kind, boolean connected, String remoteAddress,
                            String srtpProfile, long packetsIn, long bytesIn, long packetsOut, long bytesOut,
                            Map<String, Long> drops, List<Track> producers, int consumers, long receiveEstimate,
                            String estimateSource, long remb, List<Reception> receiving) {
    }

    /**
     * One video a peer receives: from whom, the layer it gets now (its RID, "paused", or "waiting" for a key frame;
     * "single" without simulcast), that layer's frame size (0 when unknown) and the layer its tile needs of those the
     * publisher sends, bandwidth aside ("none" when the tile is hidden or last-N leaves it out).
     */
    public record Reception(String from, String layer, int width, int height, String wanted) {
    }

    public record Track(String kind, String codec, long packets, long bytes, long keyframes, int subscribers) {
    }
}
