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

    public record Transport(String id, String participantId, String kind, boolean connected, String remoteAddress,
                            String srtpProfile, long packetsIn, long bytesIn, long packetsOut, long bytesOut,
                            Map<String, Long> drops, List<Track> producers, int consumers) {
    }

    public record Track(String kind, String codec, long packets, long bytes, long keyframes, int subscribers) {
    }
}
