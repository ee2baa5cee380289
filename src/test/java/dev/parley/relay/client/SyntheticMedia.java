package dev.parley.relay.client;

import dev.parley.relay.rtp.Vp8Payload;

/**
 * Payloads that look enough like Opus and VP8 for a relay: the probe ({@link ProbePayload}) plus filler for audio;
 * for video a VP8 payload descriptor (RFC 7741 section 4.2) with a 15-bit picture id, on the first packet of a frame
 * the VP8 frame tag (RFC 6386 section 9.1, whose lowest bit is the inverse key frame flag P) and for a key frame the
 * start code and dimensions, then the probe and filler. The filler is whatever the buffer held: it is never read.
 *
 * <p>Static and allocation-free.
 */
public final class SyntheticMedia {

    /** X=1 I=1 M=1: the required byte, the extension byte and a two-byte picture id. */
    public static final int VP8_DESCRIPTOR_LENGTH = 4;
    /** The 3-byte frame tag every frame starts with. */
    public static final int VP8_FRAME_TAG_LENGTH = 3;
    /** Frame tag, start code 9D 01 2A, 2-byte width, 2-byte height. */
    public static final int VP8_KEYFRAME_HEADER_LENGTH = 10;

    static final int WIDTH = 640;
    static final int HEIGHT = 360;

    private SyntheticMedia() {
    }

    /** The smallest VP8 payload that carries a probe. */
    public static int minimumVp8Payload(boolean startOfFrame, boolean keyframe) {
        return VP8_DESCRIPTOR_LENGTH + (startOfFrame ? frameHeaderLength(keyframe) : 0) + ProbePayload.LENGTH;
    }

    /**
     * Writes an audio payload of {@code len} bytes (at least {@link ProbePayload#LENGTH}) at {@code off}.
     *
     * @return the payload length, or -1 if it does not fit the buffer
     */
    public static int writeAudio(byte[] buf, int off, int len, long sendNanos, long probeSequence) {
        int length = Math.max(len, ProbePayload.LENGTH);
        if (off < 0 || off > buf.length - length) {
            return -1;
        }
        ProbePayload.write(buf, off, sendNanos, probeSequence);
        return length;
    }

    /**
     * Writes one VP8 packet payload of {@code len} bytes (raised to {@link #minimumVp8Payload} if smaller).
     *
     * @param startOfFrame S=1, partition 0, and the frame header follows the descriptor
     * @param keyframe     with {@code startOfFrame}: P=0 and the key frame header; ignored otherwise
     * @return the payload length, or -1 if it does not fit the buffer
     */
    public static int writeVp8(byte[] buf, int off, int len, boolean startOfFrame, boolean keyframe, int pictureId,
            long sendNanos, long probeSequence) {
        int length = Math.max(len, minimumVp8Payload(startOfFrame, keyframe));
        if (off < 0 || off > buf.length - length) {
            return -1;
        }
        buf[off] = (byte) (0x80 | (startOfFrame ? 0x10 : 0));
        buf[off + 1] = (byte) 0x80;
        buf[off + 2] = (byte) (0x80 | ((pictureId >> 8) & 0x7F));
        buf[off + 3] = (byte) pictureId;
        int pos = off + VP8_DESCRIPTOR_LENGTH;
        if (startOfFrame) {
            // frame tag, little-endian: P (0 = key frame), version 0, show_frame 1, first partition size
            int partitionSize = Math.min(length, 0x7FFFF);
            buf[pos] = (byte) ((keyframe ? 0 : 1) | 0x10 | ((partitionSize & 0x7) << 5));
            buf[pos + 1] = (byte) (partitionSize >> 3);
            buf[pos + 2] = (byte) (partitionSize >> 11);
            if (keyframe) {
                buf[pos + 3] = (byte) 0x9D;
                buf[pos + 4] = 0x01;
                buf[pos + 5] = 0x2A;
                buf[pos + 6] = (byte) WIDTH;
                buf[pos + 7] = (byte) (WIDTH >> 8);
                buf[pos + 8] = (byte) HEIGHT;
                buf[pos + 9] = (byte) (HEIGHT >> 8);
            }
            pos += frameHeaderLength(keyframe);
        }
        ProbePayload.write(buf, pos, sendNanos, probeSequence);
        return length;
    }

    /**
     * Bytes between the start of a VP8 payload and its probe: the descriptor, plus the frame header when the packet
     * starts partition 0 of a frame. -1 if the descriptor is malformed or the header does not fit.
     */
    static int vp8ProbeOffset(byte[] buf, int off, int len) {
        int descriptor = Vp8Payload.descriptorLength(buf, off, len);
        if (descriptor < 0 || descriptor >= len) {
            return -1;
        }
        boolean startOfPartitionZero = (buf[off] & 0x10) != 0 && (buf[off] & 0x07) == 0;
        if (!startOfPartitionZero) {
            return descriptor;
        }
        boolean keyframe = (buf[off + descriptor] & 0x01) == 0;
        int skip = descriptor + frameHeaderLength(keyframe);
        return skip <= len ? skip : -1;
    }

    private static int frameHeaderLength(boolean keyframe) {
        return keyframe ? VP8_KEYFRAME_HEADER_LENGTH : VP8_FRAME_TAG_LENGTH;
    }
}
