package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * View of a sender report, PT 200 (RFC 3550 section 6.4.1).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * |                 report blocks (24 bytes each) x RC            |
 * </pre>
 *
 * Setters rewrite in place what an SFU changes when it forwards an SR downstream.
 */
public final class SenderReport {

    static final int FIXED_LENGTH = 28;

    private byte[] buf;
    private int off;

    /** Wraps one packet (e.g. {@link RtcpCompoundIterator#offset()}/{@code length()}); false if it is not a valid SR. */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        int size = RtcpHeader.packetLength(buf, off, len);
        if (size < 0 || (buf[off + 1] & 0xFF) != RtcpHeader.SR) {
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

    /** The 64-bit NTP timestamp: seconds since 1900 in the high word, fraction in the low word. */
    public long ntpTimestamp() {
        return Bytes.int64(buf, off + 8);
    }

    public long rtpTimestamp() {
        return Bytes.uint32(buf, off + 16);
    }

    public long packetCount() {
        return Bytes.uint32(buf, off + 20);
    }

    public long octetCount() {
        return Bytes.uint32(buf, off + 24);
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

    public void setNtpTimestamp(long ntpTimestamp) {
        Bytes.putInt64(buf, off + 8, ntpTimestamp);
    }

    public void setRtpTimestamp(long rtpTimestamp) {
        Bytes.putInt32(buf, off + 16, (int) rtpTimestamp);
    }

    public void setPacketCount(long packetCount) {
        Bytes.putInt32(buf, off + 20, (int) packetCount);
    }

    public void setOctetCount(long octetCount) {
        Bytes.putInt32(buf, off + 24, (int) octetCount);
    }
}
