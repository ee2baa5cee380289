package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * View of one 24-byte reception report block (RFC 3550 section 6.4.1), positioned by {@link SenderReport#reportBlock}
 * or {@link ReceiverReport#reportBlock}.
 *
 * <pre>
 * |                 SSRC_1 (SSRC of first source)                 |
 * | fraction lost |       cumulative number of packets lost       |
 * |           extended highest sequence number received           |
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * </pre>
 */
public final class ReportBlock {

    public static final int LENGTH = 24;

    private byte[] buf;
    private int off;

    void position(byte[] buf, int off) {
        this.buf = buf;
        this.off = off;
    }

    public int ssrc() {
        return Bytes.int32(buf, off);
    }

    /** Fraction lost as the 8-bit fixed-point value (lost / expected * 256). */
    public int fractionLost() {
        return Bytes.uint8(buf, off + 4);
    }

    /** Cumulative packets lost: a 24-bit signed value, negative when duplicates outnumber losses. */
    public int cumulativeLost() {
        return Bytes.uint24(buf, off + 5) << 8 >> 8;
    }

    public long extendedHighestSequenceNumber() {
        return Bytes.uint32(buf, off + 8);
    }

    public long jitter() {
        return Bytes.uint32(buf, off + 12);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received from this source. */
    public long lastSenderReport() {
        return Bytes.uint32(buf, off + 16);
    }

    /** Delay since that SR, in units of 1/65536 s. */
    public long delaySinceLastSenderReport() {
        return Bytes.uint32(buf, off + 20);
    }

    public void setSsrc(int ssrc) {
        Bytes.putInt32(buf, off, ssrc);
    }

    static void write(byte[] buf, int off, int ssrc, int fractionLost, int cumulativeLost,
            long extendedHighestSequenceNumber, long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
        Bytes.putInt32(buf, off, ssrc);
        buf[off + 4] = (byte) fractionLost;
        Bytes.putUint24(buf, off + 5, clamp24(cumulativeLost));
        Bytes.putInt32(buf, off + 8, (int) extendedHighestSequenceNumber);
        Bytes.putInt32(buf, off + 12, (int) jitter);
        Bytes.putInt32(buf, off + 16, (int) lastSenderReport);
        Bytes.putInt32(buf, off + 20, (int) delaySinceLastSenderReport);
    }

    private static int clamp24(int value) {
        return Math.max(-0x800000, Math.min(0x7FFFFF, value));
    }
}
