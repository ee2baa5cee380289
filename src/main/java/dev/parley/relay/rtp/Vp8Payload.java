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
}
