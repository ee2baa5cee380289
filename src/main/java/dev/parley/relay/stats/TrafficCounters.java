package dev.parley.relay.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Packets and bytes in and out, loss repair, layer switches, video pauses, and drops by reason. One thread (the relay
 * loop) writes; any thread reads. Writes use opaque access: no fence on the packet path, yet readers never see torn
 * values and see progress soon.
 *
 * <p>A transport's counters have the relay's as their parent: drops, repairs, switches and pauses counted on the
 * transport are counted relay-wide too, so the relay's figures stay whole after the transport is gone. Datagrams and
 * bytes are not passed on; the relay counts those itself, as they cross its socket.
 */
public final class TrafficCounters {

    private static final int PACKETS_IN = 0;
    private static final int BYTES_IN = 1;
    private static final int PACKETS_OUT = 2;
    private static final int BYTES_OUT = 3;
    private static final int NACKED = 4;
    private static final int RETRANSMITTED = 5;
    private static final int UNREPAIRED = 6;
    private static final int LAYER_SWITCHES = 7;
    private static final int RECEIVE_ESTIMATE = 8;
    private static final int VIDEO_PAUSES = 9;
    private static final int FIRST_DROP = 10;
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray values = new AtomicLongArray(FIRST_DROP + REASONS.length);
    private final TrafficCounters parent;

    /** Relay-wide counters. */
    public TrafficCounters() {
        this(null);
    }

    /** A transport's counters, passing drops and repairs on to the relay's. */
    public TrafficCounters(TrafficCounters parent) {
        this.parent = parent;
    }

    public void received(int bytes) {
        add(PACKETS_IN, 1);
        add(BYTES_IN, bytes);
    }

    public void sent(int bytes) {
        add(PACKETS_OUT, 1);
        add(BYTES_OUT, bytes);
    }

    /** A NACK from this peer asked for a packet again. */
    public void nacked() {
        add(NACKED, 1);
        if (parent != null) {
            parent.nacked();
        }
    }

    /** The relay sent this peer a packet again from its cache. */
    public void retransmitted() {
        add(RETRANSMITTED, 1);
        if (parent != null) {
            parent.retransmitted();
        }
    }

    /** A packet this peer asked for again was not in the relay's cache. */
    public void unrepaired() {
        add(UNREPAIRED, 1);
        if (parent != null) {
            parent.unrepaired();
        }
    }

    /** A consumer of this peer switched simulcast layers. */
    public void layerSwitched() {
        add(LAYER_SWITCHES, 1);
        if (parent != null) {
            parent.layerSwitched();
        }
    }

    /** The relay paused a video for this peer because its link could not carry it (see LayerAllocator). */
    public void videoPaused() {
        add(VIDEO_PAUSES, 1);
        if (parent != null) {
            parent.videoPaused();
        }
    }

    /** What the relay judges this peer can receive, bit/s; -1 when it has no limit. A gauge, kept per peer only. */
    public void setReceiveEstimate(long bitsPerSecond) {
        values.setOpaque(RECEIVE_ESTIMATE, bitsPerSecond);
    }

    public void dropped(DropReason reason) {
        add(FIRST_DROP + reason.ordinal(), 1);
        if (parent != null) {
            parent.dropped(reason);
        }
    }

    private void add(int index, long delta) {
        values.setOpaque(index, values.getOpaque(index) + delta);
    }

    public long packetsIn() {
        return values.getOpaque(PACKETS_IN);
    }

    public long bytesIn() {
        return values.getOpaque(BYTES_IN);
    }

    public long packetsOut() {
        return values.getOpaque(PACKETS_OUT);
    }

    public long bytesOut() {
        return values.getOpaque(BYTES_OUT);
    }

    public long nackedPackets() {
        return values.getOpaque(NACKED);
    }

    public long retransmittedPackets() {
        return values.getOpaque(RETRANSMITTED);
    }

    public long layerSwitches() {
        return values.getOpaque(LAYER_SWITCHES);
    }

    public long videoPauses() {
        return values.getOpaque(VIDEO_PAUSES);
    }

    public long receiveEstimate() {
        return values.getOpaque(RECEIVE_ESTIMATE);
    }

    public long unrepairedPackets() {
        return values.getOpaque(UNREPAIRED);
    }

    public long drops(DropReason reason) {
        return values.getOpaque(FIRST_DROP + reason.ordinal());
    }

    public long totalDrops() {
        long total = 0;
        for (DropReason reason : REASONS) {
            total += drops(reason);
        }
        return total;
    }

    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
        for (DropReason reason : REASONS) {
            long n = drops(reason);
            if (n > 0) {
                map.put(reason, n);
            }
        }
        return map;
    }
}
