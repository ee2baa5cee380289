package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * The VP8 payload descriptor of RFC 7741 section 4.2 and the keyframe bit of the VP8 payload header (section 4.3).
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      |X|R|N|S|R| PID | (REQUIRED)
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 * I:   |M| PictureID   | (OPTIONAL)
 *      |   PictureID   | (present if M = 1: 15-bit picture id)
 * L:   |   TL0PICIDX   | (OPTIONAL)
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL, present if T or K)
 * </pre>
 * then the VP8 payload header, whose first byte is |Size0|H| VER |P| with P = 0 on a key frame.
 */
public final class Vp8Payload {

    private Vp8Payload() {
    }

    /** Length of the payload descriptor at {@code off}, or -1 if it does not fit in {@code len} bytes. */
    public static int descriptorLength(byte[] buf, int off, int len) {
        if (!Bytes.validRange(buf, off, len) || len < 1) {
            return -1;
        }
        int pos = 1;
        if ((buf[off] & 0x80) != 0) {
            if (pos >= len) {
                return -1;
            }
            int x = buf[off + pos++];
            if ((x & 0x80) != 0) {
                if (pos >= len) {
                    return -1;
                }
                pos += (buf[off + pos] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                pos++;
            }
            if ((x & 0x30) != 0) {
                pos++;
            }
        }
        return pos <= len ? pos : -1;
    }

    /**
     * True for the first packet of a key frame: S = 1 with partition index 0 (start of partition 0), and the
     * inverse key frame flag P of the VP8 payload header clear.
     */
    public static boolean isKeyframe(byte[] buf, int off, int len) {
        int descriptor = descriptorLength(buf, off, len);
        if (descriptor < 0 || descriptor >= len) {
            return false;
        }
        boolean startOfPartition = (buf[off] & 0x10) != 0;
        int partitionIndex = buf[off] & 0x07;
        return startOfPartition && partitionIndex == 0 && (buf[off + descriptor] & 0x01) == 0;
    }

    /** No picture id, TL0PICIDX or size in the packet. */
    public static final int ABSENT = -1;

    /**
     * The picture id (7 or 15 bits) of the descriptor at {@code off}, or {@link #ABSENT}. Call with a length that
     * {@link #descriptorLength} accepted.
     */
    public static int pictureId(byte[] buf, int off, int len) {
        int at = pictureIdOffset(buf, off, len);
        if (at < 0) {
            return ABSENT;
        }
        return (buf[at] & 0x80) != 0 ? Bytes.uint16(buf, at) & 0x7FFF : buf[at] & 0x7F;
    }

    /** Writes a picture id in the width the descriptor already has (15 or 7 bits, the value wrapping to fit). */
    public static void setPictureId(byte[] buf, int off, int len, int pictureId) {
        int at = pictureIdOffset(buf, off, len);
        if (at < 0) {
            return;
        }
        if ((buf[at] & 0x80) != 0) {
            Bytes.putUint16(buf, at, 0x8000 | (pictureId & 0x7FFF));
        } else {
            buf[at] = (byte) (pictureId & 0x7F);
        }
    }

    /** Whether the picture id takes 15 bits (M = 1); false also when there is none. */
    public static boolean hasLongPictureId(byte[] buf, int off, int len) {
        int at = pictureIdOffset(buf, off, len);
        return at >= 0 && (buf[at] & 0x80) != 0;
    }

    /** TL0PICIDX (8 bits), or {@link #ABSENT}. */
    public static int tl0PicIdx(byte[] buf, int off, int len) {
        int at = tl0PicIdxOffset(buf, off, len);
        return at < 0 ? ABSENT : buf[at] & 0xFF;
    }

    public static void setTl0PicIdx(byte[] buf, int off, int len, int value) {
        int at = tl0PicIdxOffset(buf, off, len);
        if (at >= 0) {
            buf[at] = (byte) value;
        }
    }

    /**
     * The frame size a key frame's first packet carries (RFC 6386 9.1: after the 3-byte frame tag, the start code
     * 9d 01 2a, then 14-bit width and height, each with 2 scaling bits), packed as {@code width << 16 | height}, or
     * {@link #ABSENT} when the packet is not such a start.
     */
    public static int keyframeSize(byte[] buf, int off, int len) {
        if (!isKeyframe(buf, off, len)) {
            return ABSENT;
        }
        int at = off + descriptorLength(buf, off, len);
        if (off + len - at < 10 || (buf[at + 3] & 0xFF) != 0x9d || (buf[at + 4] & 0xFF) != 0x01
                || (buf[at + 5] & 0xFF) != 0x2a) {
            return ABSENT;
        }
        int width = ((buf[at + 6] & 0xFF) | (buf[at + 7] & 0xFF) << 8) & 0x3FFF;
        int height = ((buf[at + 8] & 0xFF) | (buf[at + 9] & 0xFF) << 8) & 0x3FFF;
        return width << 16 | height;
    }

    /** Absolute offset of the first picture id byte, or -1. */
    private static int pictureIdOffset(byte[] buf, int off, int len) {
        if (descriptorLength(buf, off, len) < 3 || (buf[off] & 0x80) == 0 || (buf[off + 1] & 0x80) == 0) {
            return -1;
        }
        return off + 2;
    }

    private static int tl0PicIdxOffset(byte[] buf, int off, int len) {
        if (descriptorLength(buf, off, len) < 3 || (buf[off] & 0x80) == 0 || (buf[off + 1] & 0x40) == 0) {
            return -1;
        }
        int pos = off + 2;
        if ((buf[off + 1] & 0x80) != 0) {
            pos += (buf[pos] & 0x80) != 0 ? 2 : 1;
        }
        return pos;
    }
}
