package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * A reusable, allocation-free view of one RTP packet in a byte array (RFC 3550 section 5.1, RFC 8285).
 *
 * <p>{@link #wrap} validates the framing once; after it returns true, getters read and setters write the wrapped bytes
 * directly. After it returns false the view holds nothing usable. One instance per thread; the view does not copy, so
 * the bytes must not change underneath it except through its setters.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers             | x CC
 * |      defined by profile       |           length              | if X
 * |                        header extension                       | length x 32 bits
 * </pre>
 */
public final class RtpPacket {

    public static final int FIXED_HEADER_LENGTH = 12;

    private byte[] buf;
    private int off;
    private int len;
    private int headerLength;
    private int paddingLength;
    private int extensionProfile;
    private int extensionDataOffset;
    private int extensionDataLength;

    /**
     * Wraps {@code len} bytes at {@code off}. Returns false (never throws) unless: the range lies in the buffer, it
     * holds the 12-byte header, version is 2, the CSRC list and the extension block (if X) fit, and with P set the
     * last byte is a padding count of at least 1 that leaves room for the header.
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (!Bytes.validRange(buf, off, len) || len < FIXED_HEADER_LENGTH) {
            return false;
        }
        int first = buf[off] & 0xFF;
        if ((first >> 6) != 2) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (first & 0x0F);
        if (header > len) {
            return false;
        }
        int profile = -1;
        int extData = 0;
        int extLen = 0;
        if ((first & 0x10) != 0) {
            if (len - header < 4) {
                return false;
            }
            profile = Bytes.uint16(buf, off + header);
            extLen = 4 * Bytes.uint16(buf, off + header + 2);
            extData = off + header + 4;
            header += 4;
            if (extLen > len - header) {
                return false;
            }
            header += extLen;
        }
        int padding = 0;
        if ((first & 0x20) != 0) {
            padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || padding > len - header) {
                return false;
            }
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.headerLength = header;
        this.paddingLength = padding;
        this.extensionProfile = profile;
        this.extensionDataOffset = extData;
        this.extensionDataLength = extLen;
        return true;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    public int csrcCount() {
        return buf[off] & 0x0F;
    }

    public int csrc(int index) {
        return Bytes.int32(buf, off + FIXED_HEADER_LENGTH + 4 * index);
    }

    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    public int sequenceNumber() {
        return Bytes.uint16(buf, off + 2);
    }

    /** The 32-bit timestamp as an unsigned value. */
    public long timestamp() {
        return Bytes.int32(buf, off + 4) & 0xFFFFFFFFL;
    }

    public int ssrc() {
        return Bytes.int32(buf, off + 8);
    }

    /** Fixed header, CSRCs and extension block: where the payload starts, relative to {@link #offset()}. */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLength;
    }

    /** Payload length without the padding. */
    public int payloadLength() {
        return len - headerLength - paddingLength;
    }

    public int paddingLength() {
        return paddingLength;
    }

    /** The 16-bit "defined by profile" field, or -1 without an extension. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /** Absolute offset of the extension data (after its 4-byte header); meaningful only with an extension. */
    public int extensionDataOffset() {
        return extensionDataOffset;
    }

    public int extensionDataLength() {
        return extensionDataLength;
    }

    /**
     * Finds the RFC 8285 element with local id {@code id}; returns {@link HeaderExtensions#NOT_FOUND} or a packed
     * absolute value offset and length (see {@link HeaderExtensions#valueOffset} and
     * {@link HeaderExtensions#valueLength}).
     */
    public long findExtension(int id) {
        if (extensionProfile < 0) {
            return HeaderExtensions.NOT_FOUND;
        }
        return HeaderExtensions.find(buf, extensionDataOffset, extensionDataLength, extensionProfile, id);
    }

    /** Rewrites extension ids in place; see {@link HeaderExtensions#remapIds} (true when there is no extension). */
    public boolean remapExtensionIds(byte[] map) {
        if (extensionProfile < 0) {
            return true;
        }
        return HeaderExtensions.remapIds(buf, extensionDataOffset, extensionDataLength, extensionProfile, map);
    }

    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    public void setPayloadType(int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public void setSequenceNumber(int sequenceNumber) {
        Bytes.putUint16(buf, off + 2, sequenceNumber);
    }

    /** Sets the timestamp; only the low 32 bits are used, so extended or negative values wrap as RTP does. */
    public void setTimestamp(long timestamp) {
        Bytes.putInt32(buf, off + 4, (int) timestamp);
    }

    public void setSsrc(int ssrc) {
        Bytes.putInt32(buf, off + 8, ssrc);
    }
}
