package dev.parley.relay.bwe;

import java.util.Arrays;

/**
 * What the sender knows about its recent packets, by transport-wide sequence number: when each was sent, how large it
 * was, which probe cluster it was sent in (padding or media) or whether it was padding outside one, and whether
 * feedback has already reported on it. A ring of primitive arrays; a packet is forgotten when the sequence number
 * {@code capacity} later takes its slot.
 *
 * <p>The 16-bit sequence numbers are unwrapped to a {@code long} that grows by one per packet: a sent number is placed
 * next to the previous one, a number from feedback next to the latest sent one. Feedback reports on packets already
 * sent, and only those less than {@code capacity} (at most 16384, well under 32768) back can still be found.
 */
public final class SendHistory {

    public static final int DEFAULT_CAPACITY = 4096;
    /** Probe cluster of a packet sent while none was being sent. */
    public static final int NO_CLUSTER = 0;
    /** Probe cluster of probe padding sent while none was being sent. */
    public static final int UNCLUSTERED_PROBE = -1;

    static final int NOT_REPORTED = 0;
    static final int REPORTED_LOST = 1;
    static final int REPORTED_RECEIVED = 2;

    private final int mask;
    private final long[] sequence;
    private final long[] sendTimeNanos;
    private final int[] size;
    private final int[] probeCluster;
    private final byte[] report;
    private long latest = -1;

    public SendHistory() {
        this(DEFAULT_CAPACITY);
    }

    /** Packets it holds at most. */
    public int capacity() {
        return mask + 1;
    }

    /** {@code capacity}: a power of two, at most 16384. */
    public SendHistory(int capacity) {
        if (capacity < 2 || capacity > 16384 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two up to 16384");
        }
        mask = capacity - 1;
        sequence = new long[capacity];
        sendTimeNanos = new long[capacity];
        size = new int[capacity];
        probeCluster = new int[capacity];
        report = new byte[capacity];
        Arrays.fill(sequence, -1);
    }

    /** Records a sent packet; returns its unwrapped sequence number. */
    public long onPacketSent(int transportSequenceNumber, int sizeBytes, long nowNanos, int cluster) {
        long seq;
        if (latest < 0) {
            seq = 0x10000L + (transportSequenceNumber & 0xFFFF);
        } else {
            seq = unwrap(transportSequenceNumber);
        }
        latest = Math.max(latest, seq);
        int slot = (int) seq & mask;
        sequence[slot] = seq;
        sendTimeNanos[slot] = nowNanos;
        size[slot] = sizeBytes;
        probeCluster[slot] = cluster;
        report[slot] = NOT_REPORTED;
        return seq;
    }

    /** The unwrapped number closest to the latest sent one; meaningless before the first packet. */
    public long unwrap(int transportSequenceNumber) {
        return latest + (short) (transportSequenceNumber - (int) latest);
    }

    /** Whether {@code seq} (unwrapped) was sent and is still remembered. */
    public boolean contains(long seq) {
        return seq >= 0 && sequence[(int) seq & mask] == seq;
    }

    /** The latest unwrapped sequence number sent, or -1. */
    public long latest() {
        return latest;
    }

    public long sendTimeNanos(long seq) {
        return sendTimeNanos[slot(seq)];
    }

    public int size(long seq) {
        return size[slot(seq)];
    }

    /** Whether the packet was sent in a probe cluster, or was padding outside one. */
    public boolean isProbe(long seq) {
        return probeCluster[slot(seq)] != NO_CLUSTER;
    }

    public int probeCluster(long seq) {
        return probeCluster[slot(seq)];
    }

    /** What feedback said about the packet so far: {@link #NOT_REPORTED}, {@link #REPORTED_LOST} or received. */
    int report(long seq) {
        return report[slot(seq)];
    }

    void setReport(long seq, int state) {
        report[slot(seq)] = (byte) state;
    }

    private int slot(long seq) {
        if (!contains(seq)) {
            throw new IllegalArgumentException("sequence number " + seq + " is not in the history");
        }
        return (int) seq & mask;
    }
}
