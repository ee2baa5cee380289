package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * View of a BYE packet, PT 203 (RFC 3550 section 6.6): SC source identifiers, then an optional reason (length octet and
 * text, padded to 32 bits).
 */
public final class Goodbye {

    public static final long NO_REASON = -1L;

    private byte[] buf;
    private int off;
    private int contentEnd;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        int size = RtcpHeader.packetLength(buf, off, len);
        if (size < 0 || (buf[off + 1] & 0xFF) != RtcpHeader.BYE) {
            return false;
        }
        int content = RtcpHeader.contentLength(buf, off, size);
        int reasonAt = RtcpHeader.LENGTH + 4 * (buf[off] & 0x1F);
        if (content < reasonAt) {
            return false;
        }
        if (content > reasonAt && reasonAt + 1 + (buf[off + reasonAt] & 0xFF) > content) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.contentEnd = off + content;
        return true;
    }

    public int sourceCount() {
        return buf[off] & 0x1F;
    }

    public int ssrc(int index) {
        if (index < 0 || index >= sourceCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return Bytes.int32(buf, off + RtcpHeader.LENGTH + 4 * index);
    }

    /** Packed absolute offset and length of the reason text, or {@link #NO_REASON}. */
    public long reason() {
        int at = off + RtcpHeader.LENGTH + 4 * sourceCount();
        if (at >= contentEnd) {
            return NO_REASON;
        }
        return ((long) (at + 1) << 32) | (buf[at] & 0xFF);
    }

    /** Writes a BYE for {@code count} SSRCs (0..31) without a reason; returns the length or -1 if it does not fit. */
    public static int write(byte[] buf, int off, int[] ssrcs, int count) {
        if (count < 0 || count > RtcpHeader.MAX_COUNT || count > ssrcs.length) {
            throw new IllegalArgumentException("BYE carries 0..31 SSRCs");
        }
        int size = RtcpHeader.LENGTH + 4 * count;
        if (!RtcpHeader.hasRoom(buf, off, size)) {
            return -1;
        }
        RtcpHeader.write(buf, off, count, RtcpHeader.BYE, size);
        for (int i = 0; i < count; i++) {
            Bytes.putInt32(buf, off + RtcpHeader.LENGTH + 4 * i, ssrcs[i]);
        }
        return size;
    }
}
