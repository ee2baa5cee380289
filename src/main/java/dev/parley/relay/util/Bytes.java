package dev.parley.relay.util;

/** Big-endian field access shared by the packet codecs (RTP, RTCP, STUN) and the relay. */
public final class Bytes {

    private Bytes() {
    }

    public static int uint8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int uint16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    public static int uint24(byte[] b, int off) {
        return ((b[off] & 0xFF) << 16) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
    }

    public static int int32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static long uint32(byte[] b, int off) {
        return int32(b, off) & 0xFFFFFFFFL;
    }

    public static long int64(byte[] b, int off) {
        return ((long) int32(b, off) << 32) | uint32(b, off + 4);
    }

    public static void putUint16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void putUint24(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 16);
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) v;
    }

    public static void putInt32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static void putInt64(byte[] b, int off, long v) {
        putInt32(b, off, (int) (v >>> 32));
        putInt32(b, off + 4, (int) v);
    }

    public static boolean validRange(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
    }
}
