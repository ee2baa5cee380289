package dev.parley.relay.client;

/**
 * The measurement record synthetic media carries so a receiver can tell added latency, loss and reordering:
 *
 * <pre>
 * | magic "PRB1" (4) | send time, System.nanoTime() (8) | per-stream probe sequence number (4) |
 * </pre>
 *
 * For audio it is the first 16 bytes of the RTP payload. For VP8 it follows the payload descriptor and, on the first
 * packet of a frame, the VP8 frame header ({@link SyntheticMedia}), because those must come first for a relay to read
 * them. The send time is only comparable inside one JVM: the load generator sends and receives in the same process.
 *
 * <p>Static, allocation-free, never throws on any input.
 */
public final class ProbePayload {

    public static final int LENGTH = 16;
    static final int MAGIC = 0x50524231; // "PRB1"

    private ProbePayload() {
    }

    /** Writes a probe at {@code off}; returns {@link #LENGTH}, or -1 if it does not fit. */
    public static int write(byte[] buf, int off, long sendNanos, long sequence) {
        if (buf == null || off < 0 || off > buf.length - LENGTH) {
            return -1;
        }
        putInt(buf, off, MAGIC);
        putInt(buf, off + 4, (int) (sendNanos >>> 32));
        putInt(buf, off + 8, (int) sendNanos);
        putInt(buf, off + 12, (int) sequence);
        return LENGTH;
    }

    /** Whether {@code len} bytes at {@code off} start with a probe. */
    public static boolean isProbe(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= LENGTH && off <= buf.length - LENGTH && getInt(buf, off) == MAGIC;
    }

    /** The send time of the probe at {@code off} (check {@link #isProbe} first). */
    public static long sendNanos(byte[] buf, int off) {
        return ((long) getInt(buf, off + 4) << 32) | (getInt(buf, off + 8) & 0xFFFFFFFFL);
    }

    /** The probe sequence number (unsigned 32 bits) of the probe at {@code off}. */
    public static long sequence(byte[] buf, int off) {
        return getInt(buf, off + 12) & 0xFFFFFFFFL;
    }

    /**
     * Where the probe starts in an RTP payload, or -1 if there is none.
     *
     * @param vp8 whether the payload is VP8 (probe after descriptor and frame header); otherwise the probe is first
     */
    public static int locate(byte[] buf, int payloadOff, int payloadLen, boolean vp8) {
        if (!vp8) {
            return isProbe(buf, payloadOff, payloadLen) ? payloadOff : -1;
        }
        int skip = SyntheticMedia.vp8ProbeOffset(buf, payloadOff, payloadLen);
        if (skip < 0) {
            return -1;
        }
        return isProbe(buf, payloadOff + skip, payloadLen - skip) ? payloadOff + skip : -1;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
