package dev.parley.relay.router;

import java.util.Arrays;

/**
 * The last {@link #SIZE} packets of one video producer, by sequence number, as they were forwarded (canonical payload
 * type and extension ids), so a subscriber's NACK can be answered by the relay instead of crossing the publisher's leg
 * too; and, per sequence number, when the relay last asked the publisher for it. Slots are allocated on first use and
 * then reused: storing copies one packet, nothing else. Loop thread only.
 */
final class PacketCache {

    /** About two seconds of a 2.5 Mbit/s stream of 1,200-byte packets; a power of two. */
    static final int SIZE = 512;
    private static final int MASK = SIZE - 1;
    private static final int MAX_PACKET = 1500;

    /** What {@link #find} says about a sequence number. */
    static final int NEVER_RECEIVED = -1;
    static final int TOO_OLD = -2;

    private final byte[][] packets = new byte[SIZE][];
    private final int[] lengths = new int[SIZE];
    private final int[] sequences = new int[SIZE];
    private final int[] askedSequences = new int[SIZE];
    private final long[] askedAt = new long[SIZE];
    private int newest = -1;

    PacketCache() {
        Arrays.fill(sequences, -1);
        Arrays.fill(askedSequences, -1);
    }

    /** Keeps a copy of the packet; returns the slot it went into, or -1 if it is too old or too large to keep. */
    int put(byte[] buf, int off, int len, int sequence) {
        int slot = claim(sequence, len);
        if (slot >= 0) {
            System.arraycopy(buf, off, packets[slot], 0, len);
        }
        return slot;
    }

    /**
     * Keeps the packet an RTX packet carries (RFC 4588 4): the RTX packet's header with the original sequence number
     * and payload type and no padding, then its payload after the 2-byte original sequence number. Returns the slot,
     * or -1 (too old, too large, or no original payload).
     */
    int putRepaired(byte[] buf, int off, int headerLength, int payloadOffset, int payloadLength, int originalSequence,
                    int payloadType) {
        int length = headerLength + payloadLength - 2;
        if (payloadLength <= 2) {
            return -1;
        }
        int slot = claim(originalSequence, length);
        if (slot < 0) {
            return -1;
        }
        byte[] packet = packets[slot];
        System.arraycopy(buf, off, packet, 0, headerLength);
        System.arraycopy(buf, payloadOffset + 2, packet, headerLength, payloadLength - 2);
        packet[0] &= (byte) ~0x20;
        packet[1] = (byte) ((packet[1] & 0x80) | payloadType);
        packet[2] = (byte) (originalSequence >> 8);
        packet[3] = (byte) originalSequence;
        return slot;
    }

    private int claim(int sequence, int length) {
        if (length > MAX_PACKET) {
            return -1;
        }
        if (newest < 0 || isNewer(sequence, newest)) {
            newest = sequence;
        } else if (((newest - sequence) & 0xFFFF) >= SIZE) {
            return -1;
        }
        int slot = sequence & MASK;
        if (packets[slot] == null) {
            packets[slot] = new byte[MAX_PACKET];
        }
        lengths[slot] = length;
        sequences[slot] = sequence;
        return slot;
    }

    /**
     * Whether to ask the publisher for a missing packet now: not if the relay asked for it within {@code intervalNanos}
     * (several subscribers NACKing one lost packet make one request upstream, and a retry after the interval).
     */
    boolean shouldAskFor(int sequence, long nowNanos, long intervalNanos) {
        int slot = sequence & MASK;
        if (askedSequences[slot] == sequence && nowNanos - askedAt[slot] < intervalNanos) {
            return false;
        }
        askedSequences[slot] = sequence;
        askedAt[slot] = nowNanos;
        return true;
    }

    /**
     * Lets the packets go, as when nothing had arrived: a closed producer may stay reachable for a long time (from the
     * finished sections of those who received it, until they leave), and 512 slots of 1,500 bytes are most of it.
     */
    void release() {
        Arrays.fill(packets, null);
        Arrays.fill(sequences, -1);
        newest = -1;
    }

    /** Slots that hold a packet buffer. */
    int allocatedSlots() {
        int allocated = 0;
        for (byte[] packet : packets) {
            allocated += packet == null ? 0 : 1;
        }
        return allocated;
    }

    /** The newest sequence number stored, or -1 before the first packet. */
    int newest() {
        return newest;
    }

    /**
     * The slot holding that sequence number; or {@link #NEVER_RECEIVED} when it is within the window but did not arrive
     * (lost on the publisher's leg, or not sent yet, or nothing has arrived yet); or {@link #TOO_OLD} when it left the
     * window.
     */
    int find(int sequence) {
        if (newest < 0) {
            return NEVER_RECEIVED;
        }
        int age = (newest - sequence) & 0xFFFF;
        if (age >= 0x8000) {
            return NEVER_RECEIVED;
        }
        if (age >= SIZE) {
            return TOO_OLD;
        }
        int slot = sequence & MASK;
        return sequences[slot] == sequence ? slot : NEVER_RECEIVED;
    }

    byte[] packet(int slot) {
        return packets[slot];
    }

    int length(int slot) {
        return lengths[slot];
    }

    private static boolean isNewer(int a, int b) {
        int distance = (a - b) & 0xFFFF;
        return distance != 0 && distance < 0x8000;
    }
}
