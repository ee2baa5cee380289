package dev.parley.relay;

import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counters of the relay or of one transport, read at one moment from any thread: datagrams and bytes in and out, loss
 * repair (packets subscribers asked for again with NACKs, those the relay sent again from its cache, those it did not
 * have), simulcast layer switches, videos paused for a subscriber's bandwidth, what the relay judges the peer can
 * receive (bit/s, -1: no limit known; always -1 relay-wide), and drops by reason (every reason present, zeros
 * included).
 */
public record TrafficTotals(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long nackedPackets,
                            long retransmittedPackets, long unrepairedPackets, long layerSwitches,
                            long videoPauses, long receiveEstimate, Map<String, Long> drops) {

    /** The drop reasons, in lower case, as they appear in {@link #drops()} and in metrics. */
    public static final List<String> DROP_REASONS = Arrays.stream(DropReason.values())
            .map(r -> r.name().toLowerCase(Locale.ROOT)).toList();

    public static final TrafficTotals NONE = of(new TrafficCounters());

    public TrafficTotals {
        drops = Collections.unmodifiableMap(new LinkedHashMap<>(drops));
    }

    public long drops(String reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    static TrafficTotals of(TrafficCounters counters) {
        Map<String, Long> drops = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            drops.put(name(reason), counters.drops(reason));
        }
        return new TrafficTotals(counters.packetsIn(), counters.bytesIn(), counters.packetsOut(), counters.bytesOut(),
                counters.nackedPackets(), counters.retransmittedPackets(), counters.unrepairedPackets(),
                counters.layerSwitches(), counters.videoPauses(), counters.receiveEstimate(), drops);
    }

    /** Only the reasons that happened, for displays. */
    static Map<String, Long> nonZero(Map<DropReason, Long> drops) {
        Map<String, Long> named = new LinkedHashMap<>();
        drops.forEach((reason, count) -> named.put(name(reason), count));
        return named;
    }

    private static String name(DropReason reason) {
        return DROP_REASONS.get(reason.ordinal());
    }
}
