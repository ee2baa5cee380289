package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * Walks the packets of one (decrypted) RTCP datagram, compound (RFC 3550 section 6.1) or reduced-size (RFC 5506).
 *
 * <pre>
 * RtcpCompoundIterator it = ...;   // reusable, one per thread
 * it.reset(buf, off, len);
 * while (it.next()) {
 *     switch (it.packetType()) { ... it.offset(), it.length() ... }
 * }
 * if (it.status() != Status.END) { count the malformed datagram }
 * </pre>
 *
 * Each header is validated before its packet is exposed: version 2, announced length inside the datagram, padding
 * count (if P) inside the packet. The first failure stops the walk; packets already returned were well-framed. The
 * order rules of full compound packets (SR or RR first, SDES CNAME present) are not enforced, which is what RFC 5506
 * reduced-size RTCP needs.
 */
public final class RtcpCompoundIterator {

    /** Why the walk ended, or {@link #OK} while it goes on. */
    public enum Status {
        OK,
        /** All bytes were consumed by well-formed packets. */
        END,
        /** Fewer than 4 bytes left, or a range outside the buffer. */
        TRUNCATED,
        BAD_VERSION,
        /** The length field runs past the end of the datagram. */
        BAD_LENGTH,
        /** P set with a padding count of 0 or larger than the packet body. */
        BAD_PADDING
    }

    private byte[] buf;
    private int pos;
    private int end;
    private int packetOffset;
    private int packetLength;
    private Status status = Status.END;

    public void reset(byte[] buf, int off, int len) {
        if (!Bytes.validRange(buf, off, len)) {
            this.buf = null;
            this.pos = 0;
            this.end = 0;
            this.status = Status.TRUNCATED;
            return;
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.packetLength = 0;
        this.status = len == 0 ? Status.TRUNCATED : Status.OK;
    }

    /** Moves to the next packet; false when there is none or the next header is malformed (see {@link #status()}). */
    public boolean next() {
        if (status != Status.OK) {
            return false;
        }
        if (pos == end) {
            status = Status.END;
            return false;
        }
        if (end - pos < RtcpHeader.LENGTH) {
            status = Status.TRUNCATED;
            return false;
        }
        if ((buf[pos] & 0xC0) != 0x80) {
            status = Status.BAD_VERSION;
            return false;
        }
        int size = (Bytes.uint16(buf, pos + 2) + 1) * 4;
        if (size > end - pos) {
            status = Status.BAD_LENGTH;
            return false;
        }
        if (RtcpHeader.contentLength(buf, pos, size) < 0) {
            status = Status.BAD_PADDING;
            return false;
        }
        packetOffset = pos;
        packetLength = size;
        pos += size;
        return true;
    }

    public Status status() {
        return status;
    }

    /** Absolute offset of the current packet. */
    public int offset() {
        return packetOffset;
    }

    /** Size of the current packet in bytes, padding included. */
    public int length() {
        return packetLength;
    }

    public int packetType() {
        return buf[packetOffset + 1] & 0xFF;
    }

    /** The 5-bit field after V and P: report count, source count, or feedback message type (FMT). */
    public int count() {
        return buf[packetOffset] & 0x1F;
    }

    public boolean hasPadding() {
        return (buf[packetOffset] & 0x20) != 0;
    }

    /** Sender SSRC of the current packet, or 0 if it is too short to carry one. */
    public int senderSsrc() {
        return packetLength >= 8 ? Bytes.int32(buf, packetOffset + 4) : 0;
    }
}
