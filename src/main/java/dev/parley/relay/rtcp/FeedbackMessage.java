package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * The common layout of RTPFB and PSFB feedback messages (RFC 4585 section 6.1), shared by the typed views.
 *
 * <pre>
 * |V=2|P|   FMT   |       PT      |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * :            Feedback Control Information (FCI)                 :
 * </pre>
 * The SSRC setters are the rewrite an SFU does when it forwards feedback towards a publisher.
 */
public abstract class FeedbackMessage {

    static final int FCI_OFFSET = 12;

    byte[] buf;
    int off;
    int fciLength;

    FeedbackMessage() {
    }

    /** Validates header, type and FMT (any FMT if {@code fmt} is negative) and records the FCI length. */
    final boolean wrapFeedback(byte[] buf, int off, int len, int packetType, int fmt) {
        this.buf = null;
        int size = RtcpHeader.packetLength(buf, off, len);
        if (size < FCI_OFFSET || (buf[off + 1] & 0xFF) != packetType) {
            return false;
        }
        if (fmt >= 0 && (buf[off] & 0x1F) != fmt) {
            return false;
        }
        int content = RtcpHeader.contentLength(buf, off, size);
        if (content < FCI_OFFSET) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.fciLength = content - FCI_OFFSET;
        return true;
    }

    public final int packetType() {
        return buf[off + 1] & 0xFF;
    }

    public final int fmt() {
        return buf[off] & 0x1F;
    }

    public final int senderSsrc() {
        return Bytes.int32(buf, off + 4);
    }

    public final int mediaSsrc() {
        return Bytes.int32(buf, off + 8);
    }

    /** Absolute offset of the FCI. */
    public final int fciOffset() {
        return off + FCI_OFFSET;
    }

    /** FCI length in bytes, padding excluded. */
    public final int fciLength() {
        return fciLength;
    }

    public final void setSenderSsrc(int ssrc) {
        Bytes.putInt32(buf, off + 4, ssrc);
    }

    public final void setMediaSsrc(int ssrc) {
        Bytes.putInt32(buf, off + 8, ssrc);
    }

    static void writeCommon(byte[] buf, int off, int fmt, int packetType, int size, int senderSsrc, int mediaSsrc) {
        RtcpHeader.write(buf, off, fmt, packetType, size);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt32(buf, off + 8, mediaSsrc);
    }
}
