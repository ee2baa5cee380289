package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 section 6.2.1). The FCI is a list of |PID (16)|BLP (16)| pairs: PID is a lost
 * sequence number, and bit i of BLP (least significant first) reports PID + i + 1 lost as well.
 */
public final class GenericNack extends FeedbackMessage {

    static final int PAIR_LENGTH = 4;

    public boolean wrap(byte[] buf, int off, int len) {
        return wrapFeedback(buf, off, len, RtcpHeader.RTPFB, RtcpHeader.FMT_GENERIC_NACK);
    }

    public int pairCount() {
        return fciLength / PAIR_LENGTH;
    }

    public int packetId(int index) {
        return Bytes.uint16(buf, pair(index));
    }

    public int lostPacketBitmask(int index) {
        return Bytes.uint16(buf, pair(index) + 2);
    }

    /** Number of sequence numbers the packet reports lost (duplicates across pairs counted each time). */
    public int lostCount() {
        int n = 0;
        for (int i = 0; i < pairCount(); i++) {
            n += 1 + Integer.bitCount(lostPacketBitmask(i));
        }
        return n;
    }

    /**
     * Writes the lost sequence numbers into {@code out} from {@code outOff}, in packet order, stopping when
     * {@code out} is full; returns how many were written. Allocation-free.
     */
    public int lostSequenceNumbers(int[] out, int outOff) {
        int n = outOff;
        for (int i = 0; i < pairCount() && n < out.length; i++) {
            int pid = packetId(i);
            int blp = lostPacketBitmask(i);
            out[n++] = pid;
            for (int bit = 0; bit < 16 && n < out.length; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    out[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n - outOff;
    }

    /**
     * Writes a NACK for {@code count} lost sequence numbers. Numbers within 16 after the current pair's PID join its
     * bitmask, anything else starts a new pair; give them in ascending (wrap-aware) order for the most compact packet.
     * Returns the length, or -1 if it does not fit.
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int[] lost, int count) {
        if (count < 1 || count > lost.length) {
            throw new IllegalArgumentException("NACK needs 1..n sequence numbers");
        }
        if (!RtcpHeader.hasRoom(buf, off, FCI_OFFSET)) {
            return -1;
        }
        int pos = off + FCI_OFFSET;
        int pairAt = -1;
        int pid = 0;
        int blp = 0;
        for (int i = 0; i < count; i++) {
            int seq = lost[i] & 0xFFFF;
            int distance = (seq - pid) & 0xFFFF;
            if (pairAt >= 0 && distance == 0) {
                continue;
            }
            if (pairAt >= 0 && distance <= 16) {
                blp |= 1 << (distance - 1);
                Bytes.putUint16(buf, pairAt + 2, blp);
                continue;
            }
            if (!RtcpHeader.hasRoom(buf, pos, PAIR_LENGTH) || pos + PAIR_LENGTH - off > RtcpHeader.MAX_SIZE) {
                return -1;
            }
            pairAt = pos;
            pid = seq;
            blp = 0;
            Bytes.putUint16(buf, pairAt, pid);
            Bytes.putUint16(buf, pairAt + 2, 0);
            pos += PAIR_LENGTH;
        }
        int size = pos - off;
        writeCommon(buf, off, RtcpHeader.FMT_GENERIC_NACK, RtcpHeader.RTPFB, size, senderSsrc, mediaSsrc);
        return size;
    }

    private int pair(int index) {
        if (index < 0 || index >= pairCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return fciOffset() + PAIR_LENGTH * index;
    }
}
