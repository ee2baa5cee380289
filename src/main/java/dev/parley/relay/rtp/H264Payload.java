package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * Keyframe detection on H.264 RTP payloads (RFC 6184 section 5). A packet starts a keyframe when it carries an IDR
 * slice (NAL unit type 5) or a sequence parameter set (type 7), sent either as a single NAL unit, inside a STAP-A
 * aggregate, or as the first fragment (S bit) of an FU-A.
 */
public final class H264Payload {

    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_STAP_A = 24;
    public static final int NAL_FU_A = 28;

    private H264Payload() {
    }

    public static boolean isKeyframe(byte[] buf, int off, int len) {
        if (!Bytes.validRange(buf, off, len) || len < 1) {
            return false;
        }
        int type = buf[off] & 0x1F;
        if (type >= 1 && type <= 23) {
            return isKeyframeNal(type);
        }
        if (type == NAL_STAP_A) {
            return stapAContainsKeyframe(buf, off, len);
        }
        if (type == NAL_FU_A) {
            // FU indicator, then FU header |S|E|R| Type |
            return len >= 2 && (buf[off + 1] & 0x80) != 0 && isKeyframeNal(buf[off + 1] & 0x1F);
        }
        return false;
    }

    /** STAP-A (section 5.7.1): after the 1-byte header, NAL units each preceded by a 16-bit size. */
    private static boolean stapAContainsKeyframe(byte[] buf, int off, int len) {
        int pos = 1;
        while (len - pos >= 2) {
            int size = Bytes.uint16(buf, off + pos);
            pos += 2;
            if (size == 0 || size > len - pos) {
                return false;
            }
            if (isKeyframeNal(buf[off + pos] & 0x1F)) {
                return true;
            }
            pos += size;
        }
        return false;
    }

    private static boolean isKeyframeNal(int type) {
        return type == NAL_IDR || type == NAL_SPS;
    }
}
