package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * The transport-wide sequence number header extension
 * ({@code http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01}, section 2): one 16-bit counter
 * over every packet a transport sends, whatever its SSRC, which transport-wide congestion control feedback refers
 * to. Its value is 2 bytes, big-endian, in either RFC 8285 form (one-byte header with L=1, or two-byte header with
 * length 2).
 *
 * <p>A relay forwarding a packet numbers it on the outgoing transport, so it overwrites the value the publisher put
 * there; {@link #write} does that in place, and {@link #stamp} adds the element to a packet that lacks it (a publisher
 * that does not send it), moving the payload. Packets the relay builds itself get it from
 * {@link RtpHeaderWriter#addExtension(int, long, int)}.
 */
public final class TransportSequenceNumber {

    public static final int VALUE_LENGTH = 2;
    public static final int NOT_FOUND = -1;

    private TransportSequenceNumber() {
    }

    /** The value of element {@code id}, 0..65535, or {@link #NOT_FOUND} if absent, malformed or not 2 bytes long. */
    public static int read(RtpPacket packet, int id) {
        int at = valueOffset(packet, id);
        return at < 0 ? NOT_FOUND : Bytes.uint16(packet.buffer(), at);
    }

    /**
     * Overwrites the value of element {@code id} with the low 16 bits of {@code sequenceNumber}. Returns false,
     * changing nothing, if the packet has no such element of 2 bytes (or its extension block is malformed).
     */
    public static boolean write(RtpPacket packet, int id, int sequenceNumber) {
        int at = valueOffset(packet, id);
        if (at < 0) {
            return false;
        }
        Bytes.putUint16(packet.buffer(), at, sequenceNumber);
        return true;
    }

    /**
     * Sets element {@code id} of the packet {@code view} wraps to {@code sequenceNumber}: in place when it is there,
     * else added, as a one-byte element (RFC 8285 4.2) at the end of a one-byte block or a two-byte one (4.3) at the
     * end of a two-byte block, or in a new one-byte block after the CSRCs when the packet has no extension. Adding moves
     * everything after it 4 or 8 bytes on, so the packet may grow to {@code capacity} bytes from its offset; the view
     * is re-wrapped. Returns the packet's new length, or -1, changing nothing, when the element is there with another
     * length, the block's profile is unknown, the id does not fit the block's form, or there is no room.
     */
    public static int stamp(RtpPacket view, int capacity, int id, int sequenceNumber) {
        byte[] buf = view.buffer();
        int off = view.offset();
        int len = view.length();
        long found = view.findExtension(id);
        if (found != HeaderExtensions.NOT_FOUND) {
            if (HeaderExtensions.valueLength(found) != VALUE_LENGTH) {
                return -1;
            }
            Bytes.putUint16(buf, HeaderExtensions.valueOffset(found), sequenceNumber);
            return len;
        }
        int profile = view.extensionProfile();
        int at;
        int grow;
        if (profile < 0) {
            if (id < 1 || id > 14) {
                return -1;
            }
            at = off + RtpPacket.FIXED_HEADER_LENGTH + 4 * view.csrcCount();
            grow = 8;
        } else if (HeaderExtensions.isOneByte(profile) && id >= 1 && id <= 14
                || HeaderExtensions.isTwoByte(profile) && id >= 1 && id <= 255) {
            at = view.extensionDataOffset() + view.extensionDataLength();
            grow = 4;
        } else {
            return -1;
        }
        if (len + grow > capacity || off + len + grow > buf.length) {
            return -1;
        }
        System.arraycopy(buf, at, buf, at + grow, off + len - at);
        if (profile < 0) {
            Bytes.putUint16(buf, at, HeaderExtensions.ONE_BYTE_PROFILE);
            Bytes.putUint16(buf, at + 2, 1);
            at += 4;
            buf[off] |= 0x10;
        } else {
            int lengthField = view.extensionDataOffset() - 2;
            Bytes.putUint16(buf, lengthField, Bytes.uint16(buf, lengthField) + 1);
        }
        if (profile < 0 || HeaderExtensions.isOneByte(profile)) {
            buf[at] = (byte) ((id << 4) | (VALUE_LENGTH - 1));
            Bytes.putUint16(buf, at + 1, sequenceNumber);
            buf[at + 3] = 0;
        } else {
            buf[at] = (byte) id;
            buf[at + 1] = VALUE_LENGTH;
            Bytes.putUint16(buf, at + 2, sequenceNumber);
        }
        view.wrap(buf, off, len + grow);
        return len + grow;
    }

    private static int valueOffset(RtpPacket packet, int id) {
        long found = packet.findExtension(id);
        if (found == HeaderExtensions.NOT_FOUND || HeaderExtensions.valueLength(found) != VALUE_LENGTH) {
            return -1;
        }
        return HeaderExtensions.valueOffset(found);
    }
}
