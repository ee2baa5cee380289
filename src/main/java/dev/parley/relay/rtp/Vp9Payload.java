package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * The VP9 payload descriptor of RFC 9628 section 4.2 (draft-ietf-payload-vp9) and keyframe detection on it.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      |I|P|L|F|B|E|V|Z| (REQUIRED)
 * I:   |M| PICTURE ID  | (extended to 15 bits when M = 1)
 * M:   | EXTENDED PID  |
 * L:   | TID |U| SID |D| then TL0PICIDX only in non-flexible mode (F = 0)
 * P,F: | P_DIFF      |N| up to 3 times, only in flexible mode with P = 1
 * V:   | SS            | scalability structure, section 4.2.1
 * </pre>
 */
public final class Vp9Payload {

    private static final int MAX_P_DIFF = 3;

    private Vp9Payload() {
    }

    /** Length of the payload descriptor at {@code off}, or -1 if it does not fit in {@code len} bytes. */
    public static int descriptorLength(byte[] buf, int off, int len) {
        if (!Bytes.validRange(buf, off, len) || len < 1) {
            return -1;
        }
        int flags = buf[off];
        boolean flexible = (flags & 0x10) != 0;
        int pos = 1;
        if ((flags & 0x80) != 0) { // I: picture id, 7 or 15 bits
            if (pos >= len) {
                return -1;
            }
            pos += (buf[off + pos] & 0x80) != 0 ? 2 : 1;
        }
        if ((flags & 0x20) != 0) { // L: layer indices
            pos += flexible ? 1 : 2;
        }
        if (flexible && (flags & 0x40) != 0) { // P_DIFF list
            for (int n = 0; ; n++) {
                if (pos >= len || n == MAX_P_DIFF) {
                    return -1;
                }
                boolean more = (buf[off + pos++] & 0x01) != 0;
                if (!more) {
                    break;
                }
            }
        }
        if ((flags & 0x02) != 0) {
            pos = scalabilityStructureEnd(buf, off, len, pos);
        }
        return pos >= 0 && pos <= len ? pos : -1;
    }

    /**
     * True for the first packet of a key picture's base layer: start of a frame (B), not inter-picture predicted
     * (P clear), spatial layer 0 (or no layer indices), with VP9 data after the descriptor.
     */
    public static boolean isKeyframe(byte[] buf, int off, int len) {
        int descriptor = descriptorLength(buf, off, len);
        if (descriptor < 0 || descriptor >= len) {
            return false;
        }
        int flags = buf[off];
        boolean startOfFrame = (flags & 0x08) != 0;
        boolean interPicturePredicted = (flags & 0x40) != 0;
        return startOfFrame && !interPicturePredicted && spatialLayer(buf, off) == 0;
    }

    /** SID of the layer indices, 0 when L is clear. Call only after {@link #descriptorLength} succeeded. */
    private static int spatialLayer(byte[] buf, int off) {
        int flags = buf[off];
        if ((flags & 0x20) == 0) {
            return 0;
        }
        int pos = 1;
        if ((flags & 0x80) != 0) {
            pos += (buf[off + pos] & 0x80) != 0 ? 2 : 1;
        }
        return (buf[off + pos] >> 1) & 0x07;
    }

    /**
     * Skips the SS of section 4.2.1: |N_S|Y|G|-|-|-|, then WIDTH and HEIGHT (2 bytes each) for N_S + 1 layers if Y,
     * then if G: N_G and N_G entries of |TID|U|R|-|-| each followed by R P_DIFF bytes. Returns -1 when truncated.
     */
    private static int scalabilityStructureEnd(byte[] buf, int off, int len, int pos) {
        if (pos >= len) {
            return -1;
        }
        int header = buf[off + pos++] & 0xFF;
        int spatialLayers = (header >> 5) + 1;
        if ((header & 0x10) != 0) {
            pos += 4 * spatialLayers;
        }
        if ((header & 0x08) != 0) {
            if (pos >= len) {
                return -1;
            }
            int pictures = buf[off + pos++] & 0xFF;
            for (int i = 0; i < pictures; i++) {
                if (pos >= len) {
                    return -1;
                }
                int references = (buf[off + pos++] >> 2) & 0x03;
                pos += references;
            }
        }
        return pos <= len ? pos : -1;
    }

    /** No picture id or TL0PICIDX in the packet. */
    public static final int ABSENT = -1;

    /** The picture id (7 or 15 bits), or {@link #ABSENT}. */
    public static int pictureId(byte[] buf, int off, int len) {
        if (descriptorLength(buf, off, len) < 2 || (buf[off] & 0x80) == 0) {
            return ABSENT;
        }
        return (buf[off + 1] & 0x80) != 0 ? Bytes.uint16(buf, off + 1) & 0x7FFF : buf[off + 1] & 0x7F;
    }

    /** Writes a picture id in the width the descriptor already has (15 or 7 bits, the value wrapping to fit). */
    public static void setPictureId(byte[] buf, int off, int len, int pictureId) {
        if (descriptorLength(buf, off, len) < 2 || (buf[off] & 0x80) == 0) {
            return;
        }
        if ((buf[off + 1] & 0x80) != 0) {
            Bytes.putUint16(buf, off + 1, 0x8000 | (pictureId & 0x7FFF));
        } else {
            buf[off + 1] = (byte) (pictureId & 0x7F);
        }
    }

    /** Whether the picture id takes 15 bits (M = 1); false also when there is none. */
    public static boolean hasLongPictureId(byte[] buf, int off, int len) {
        return descriptorLength(buf, off, len) >= 2 && (buf[off] & 0x80) != 0 && (buf[off + 1] & 0x80) != 0;
    }

    /** TL0PICIDX, present only in non-flexible mode with layer indices (L = 1, F = 0); else {@link #ABSENT}. */
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

    private static int tl0PicIdxOffset(byte[] buf, int off, int len) {
        if (descriptorLength(buf, off, len) < 0) {
            return -1;
        }
        int flags = buf[off];
        if ((flags & 0x20) == 0 || (flags & 0x10) != 0) {
            return -1;
        }
        int pos = off + 1;
        if ((flags & 0x80) != 0) {
            pos += (buf[pos] & 0x80) != 0 ? 2 : 1;
        }
        return pos + 1;
    }
}
