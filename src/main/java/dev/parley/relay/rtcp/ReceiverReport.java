package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * View of a receiver report, PT 201 (RFC 3550 section 6.4.2): header, SSRC of packet sender, RC report blocks.
 */
public final class ReceiverReport {

    static final int FIXED_LENGTH = 8;

    private byte[] buf;
    private int off;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        int size = RtcpHeader.packetLength(buf, off, len);
        if (size < 0 || (buf[off + 1] & 0xFF) != RtcpHeader.RR) {
            return false;
        }
        int content = RtcpHeader.contentLength(buf, off, size);
        if (content < FIXED_LENGTH + ReportBlock.LENGTH * (buf[off] & 0x1F)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        return true;
    }

    public int senderSsrc() {
        return Bytes.int32(buf, off + 4);
    }

    public int reportCount() {
        return buf[off] & 0x1F;
    }

    /** Positions {@code into} on report block {@code index} (0..reportCount-1) and returns it. */
    public ReportBlock reportBlock(int index, ReportBlock into) {
        if (index < 0 || index >= reportCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        into.position(buf, off + FIXED_LENGTH + ReportBlock.LENGTH * index);
        return into;
    }

    public void setSenderSsrc(int ssrc) {
        Bytes.putInt32(buf, off + 4, ssrc);
    }
}
