package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * Receiver estimated maximum bitrate, PSFB FMT 15 (draft-alvestrand-rmcat-remb-03 section 2.2). Media source SSRC is
 * 0; the FCI is:
 *
 * <pre>
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * |   SSRC feedback                                               | x Num SSRC
 * </pre>
 * The bitrate in bits per second is mantissa (18 bits) * 2^exp (6 bits).
 */
public final class Remb extends FeedbackMessage {

    private static final int FIXED_FCI_LENGTH = 8;
    private static final int MAX_MANTISSA = (1 << 18) - 1;

    public boolean wrap(byte[] buf, int off, int len) {
        if (!wrapFeedback(buf, off, len, RtcpHeader.PSFB, RtcpHeader.FMT_AFB)) {
            return false;
        }
        if (!hasIdentifier(buf, fciOffset(), fciLength)
                || fciLength < FIXED_FCI_LENGTH + 4 * Bytes.uint8(buf, fciOffset() + 4)) {
            this.buf = null;
            return false;
        }
        return true;
    }

    static boolean hasIdentifier(byte[] buf, int fciOff, int fciLen) {
        return fciLen >= FIXED_FCI_LENGTH && buf[fciOff] == 'R' && buf[fciOff + 1] == 'E' && buf[fciOff + 2] == 'M'
                && buf[fciOff + 3] == 'B';
    }

    public int ssrcCount() {
        return Bytes.uint8(buf, fciOffset() + 4);
    }

    public int exponent() {
        return Bytes.uint8(buf, fciOffset() + 5) >>> 2;
    }

    public int mantissa() {
        return Bytes.uint24(buf, fciOffset() + 5) & MAX_MANTISSA;
    }

    /** Bitrate in bits per second; saturates at Long.MAX_VALUE for exponents that overflow. */
    public long bitrate() {
        long mantissa = mantissa();
        int exp = exponent();
        if (mantissa != 0 && exp > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }

    public int ssrc(int index) {
        if (index < 0 || index >= ssrcCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return Bytes.int32(buf, fciOffset() + FIXED_FCI_LENGTH + 4 * index);
    }

    public void setSsrc(int index, int ssrc) {
        if (index < 0 || index >= ssrcCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        Bytes.putInt32(buf, fciOffset() + FIXED_FCI_LENGTH + 4 * index, ssrc);
    }

    /**
     * Writes a REMB for {@code count} SSRCs (0..255). The bitrate is rounded down to what 18 bits of mantissa can
     * express. Returns the length or -1 if it does not fit.
     */
    public static int write(byte[] buf, int off, int senderSsrc, long bitrate, int[] ssrcs, int count) {
        if (bitrate < 0) {
            throw new IllegalArgumentException("bitrate must not be negative");
        }
        if (count < 0 || count > 255 || count > ssrcs.length) {
            throw new IllegalArgumentException("REMB carries 0..255 SSRCs");
        }
        int size = FCI_OFFSET + FIXED_FCI_LENGTH + 4 * count;
        if (!RtcpHeader.hasRoom(buf, off, size)) {
            return -1;
        }
        int exp = 0;
        while ((bitrate >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        int mantissa = (int) (bitrate >>> exp);
        writeCommon(buf, off, RtcpHeader.FMT_AFB, RtcpHeader.PSFB, size, senderSsrc, 0);
        int fci = off + FCI_OFFSET;
        buf[fci] = 'R';
        buf[fci + 1] = 'E';
        buf[fci + 2] = 'M';
        buf[fci + 3] = 'B';
        buf[fci + 4] = (byte) count;
        Bytes.putUint24(buf, fci + 5, (exp << 18) | mantissa);
        for (int i = 0; i < count; i++) {
            Bytes.putInt32(buf, fci + FIXED_FCI_LENGTH + 4 * i, ssrcs[i]);
        }
        return size;
    }
}
