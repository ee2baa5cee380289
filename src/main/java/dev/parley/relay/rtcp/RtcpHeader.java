package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * The common RTCP header (RFC 3550 section 6.4.1): |V=2|P| count or FMT (5) | PT (8) | length (16) |, where length is
 * the packet size in 32-bit words minus one. Packet types and feedback message types (FMT) used by an SFU are here.
 */
public final class RtcpHeader {

    public static final int LENGTH = 4;

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585 section 6.2). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 section 6.3). */
    public static final int PSFB = 206;

    public static final int FMT_GENERIC_NACK = 1;
    /** draft-holmer-rmcat-transport-wide-cc-extensions-01. */
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    /** RFC 5104 section 4.3.1. */
    public static final int FMT_FIR = 4;
    /** Application layer feedback; REMB uses it (draft-alvestrand-rmcat-remb). */
    public static final int FMT_AFB = 15;

    public static final int MAX_COUNT = 31;
    /** The 16-bit length field counts 32-bit words minus one. */
    public static final int MAX_SIZE = 0x10000 * 4;

    private RtcpHeader() {
    }

    /**
     * Size in bytes announced by the header at {@code off}, or -1 unless the header is readable, version is 2 and the
     * announced packet fits in {@code len}.
     */
    static int packetLength(byte[] buf, int off, int len) {
        if (!Bytes.validRange(buf, off, len) || len < LENGTH || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int size = (Bytes.uint16(buf, off + 2) + 1) * 4;
        return size <= len ? size : -1;
    }

    /**
     * Bytes of the packet at {@code off} (of {@code size} bytes) before its padding, or -1 if the padding count is 0
     * or eats into the header.
     */
    static int contentLength(byte[] buf, int off, int size) {
        if ((buf[off] & 0x20) == 0) {
            return size;
        }
        int padding = buf[off + size - 1] & 0xFF;
        return padding == 0 || padding > size - LENGTH ? -1 : size - padding;
    }

    /** Writes a header for a packet of {@code size} bytes (a multiple of 4). */
    static void write(byte[] buf, int off, int countOrFmt, int packetType, int size) {
        buf[off] = (byte) (0x80 | (countOrFmt & 0x1F));
        buf[off + 1] = (byte) packetType;
        Bytes.putUint16(buf, off + 2, size / 4 - 1);
    }

    static boolean hasRoom(byte[] buf, int off, int size) {
        return size <= MAX_SIZE && Bytes.validRange(buf, off, size);
    }
}
