package dev.parley.relay.stun;

/** Constants and byte helpers for the 20-byte STUN header (RFC 8489 section 5). */
final class StunHeader {

    static final int LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int TRANSACTION_ID_OFFSET = 8;
    static final int TRANSACTION_ID_LENGTH = 12;
    static final int ATTRIBUTE_HEADER_LENGTH = 4;
    static final int MESSAGE_INTEGRITY_LENGTH = 20;
    static final int FINGERPRINT_LENGTH = 4;

    private StunHeader() {
    }

    static int uint16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static int int32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long int64(byte[] b, int off) {
        return ((long) int32(b, off) << 32) | (int32(b, off + 4) & 0xFFFFFFFFL);
    }

    static void putUint16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void putInt32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putInt64(byte[] b, int off, long v) {
        putInt32(b, off, (int) (v >>> 32));
        putInt32(b, off + 4, (int) v);
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
