package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * Writes RTP headers for synthetic packets (load generator, probes): the 12-byte fixed header and, optionally, a
 * one-byte-form extension block (RFC 8285 section 4.2) padded with zero bytes to a multiple of 4.
 *
 * <p>Usage: {@code begin(...)}, any number of {@code addExtension(...)}, then {@link #finish()} which returns the header
 * length (where the payload goes) or -1 if the buffer had no room. Reusable; not thread-safe. No CSRCs, no padding.
 */
public final class RtpHeaderWriter {

    private static final int MAX_ONE_BYTE_VALUE = 16;

    private byte[] buf;
    private int off;
    private int end;
    private int pos;
    private boolean overflow;
    private boolean extension;

    /** Writes only a 12-byte header; returns 12, or -1 if fewer than 12 bytes are available at {@code off}. */
    public static int writeFixedHeader(byte[] buf, int off, int payloadType, boolean marker, int sequenceNumber,
            long timestamp, int ssrc) {
        if (!Bytes.validRange(buf, off, RtpPacket.FIXED_HEADER_LENGTH)) {
            return -1;
        }
        buf[off] = (byte) 0x80;
        buf[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        Bytes.putUint16(buf, off + 2, sequenceNumber);
        Bytes.putInt32(buf, off + 4, (int) timestamp);
        Bytes.putInt32(buf, off + 8, ssrc);
        return RtpPacket.FIXED_HEADER_LENGTH;
    }

    public RtpHeaderWriter begin(byte[] buf, int off, int capacity, int payloadType, boolean marker,
            int sequenceNumber, long timestamp, int ssrc) {
        this.buf = buf;
        this.off = off;
        this.extension = false;
        this.overflow = !Bytes.validRange(buf, off, capacity) || capacity < RtpPacket.FIXED_HEADER_LENGTH;
        this.end = overflow ? off : off + capacity;
        this.pos = off + RtpPacket.FIXED_HEADER_LENGTH;
        if (!overflow) {
            writeFixedHeader(buf, off, payloadType, marker, sequenceNumber, timestamp, ssrc);
        }
        return this;
    }

    /** Adds a one-byte-form element; {@code id} 1..14, value 1..16 bytes. */
    public RtpHeaderWriter addExtension(int id, byte[] value, int valueOff, int valueLen) {
        int at = reserve(id, valueLen);
        if (at >= 0) {
            System.arraycopy(value, valueOff, buf, at, valueLen);
        }
        return this;
    }

    /**
     * Adds a one-byte-form element holding the low {@code valueLen} bytes of {@code value}, big-endian (1..8 bytes),
     * e.g. a 3-byte abs-send-time or the 2-byte transport-wide sequence number, without allocating.
     */
    public RtpHeaderWriter addExtension(int id, long value, int valueLen) {
        if (valueLen > 8) {
            throw new IllegalArgumentException("a long holds at most 8 bytes");
        }
        int at = reserve(id, valueLen);
        if (at >= 0) {
            for (int i = valueLen - 1; i >= 0; i--) {
                buf[at + i] = (byte) value;
                value >>>= 8;
            }
        }
        return this;
    }

    /** Header length including the extension block, or -1 if it did not fit. */
    public int finish() {
        if (overflow) {
            return -1;
        }
        if (!extension) {
            return pos - off;
        }
        int dataStart = off + RtpPacket.FIXED_HEADER_LENGTH + 4;
        int padded = dataStart + ((pos - dataStart + 3) & ~3);
        if (padded > end) {
            overflow = true;
            return -1;
        }
        while (pos < padded) {
            buf[pos++] = 0;
        }
        Bytes.putUint16(buf, dataStart - 2, (pos - dataStart) / 4);
        return pos - off;
    }

    private int reserve(int id, int valueLen) {
        if (id < 1 || id > 14) {
            throw new IllegalArgumentException("one-byte extension ids are 1..14");
        }
        if (valueLen < 1 || valueLen > MAX_ONE_BYTE_VALUE) {
            throw new IllegalArgumentException("one-byte extension values are 1..16 bytes");
        }
        if (overflow) {
            return -1;
        }
        if (!extension) {
            if (end - pos < 4) {
                overflow = true;
                return -1;
            }
            buf[off] |= 0x10;
            Bytes.putUint16(buf, pos, HeaderExtensions.ONE_BYTE_PROFILE);
            Bytes.putUint16(buf, pos + 2, 0);
            pos += 4;
            extension = true;
        }
        if (end - pos < 1 + valueLen) {
            overflow = true;
            return -1;
        }
        buf[pos] = (byte) ((id << 4) | (valueLen - 1));
        pos += 1 + valueLen;
        return pos - valueLen;
    }
}
