package dev.parley.relay.router;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client puts on the wire, written byte by byte from the RFCs (not with the relay's writers), and an
 * independent reader for RTCP compound packets, so that a bug in a relay codec shows instead of cancelling out.
 */
final class Packets {

    /** VP8 (RFC 7741): descriptor X=1 S=1 PID=0, I=1 with a 15-bit picture id, then a key frame header (P=0). */
    static final byte[] VP8_KEYFRAME = bytes(0x90, 0x80, 0x80, 0x01, 0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02,
            0xe0, 0x01, 0x00, 0x47);
    /** The next packet of the same key frame: S=0, so not a key frame start. */
    static final byte[] VP8_KEYFRAME_CONTINUATION = bytes(0x80, 0x80, 0x80, 0x01, 0x13, 0x37, 0x42, 0x42);
    /** An inter frame: S=1, partition 0, but the payload header's P bit is 1. */
    static final byte[] VP8_DELTA = bytes(0x90, 0x80, 0x80, 0x02, 0x31, 0x5a, 0x00, 0x11, 0x22, 0x33);

    private Packets() {
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    // ---------------------------------------------------------------- RTP (RFC 3550 5.1)

    static byte[] rtp(int payloadType, int sequence, long timestamp, int ssrc, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length)
                .put((byte) 0x80).put((byte) payloadType).putShort((short) sequence).putInt((int) timestamp)
                .putInt(ssrc).put(payload).array();
    }

    /**
     * RTP with one one-byte header extension element (RFC 8285 4.2): {@code id}, then the value (1 to 16 bytes), padded
     * to a 32-bit boundary.
     */
    static byte[] rtpWithExtension(int payloadType, int sequence, long timestamp, int ssrc, int id, byte[] value,
                                   byte[] payload) {
        int data = (1 + value.length + 3) / 4 * 4;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + data + payload.length)
                .put((byte) 0x90).put((byte) payloadType).putShort((short) sequence).putInt((int) timestamp)
                .putInt(ssrc).putShort((short) 0xBEDE).putShort((short) (data / 4))
                .put((byte) (id << 4 | (value.length - 1))).put(value);
        b.position(12 + 4 + data);
        return b.put(payload).array();
    }

    /**
     * A VP8 payload (RFC 7741 4.2) with X=1, I=1 (15-bit picture id), L=1 (TL0PICIDX), S=1, partition 0; a key frame
     * carries the frame tag, start code and size of RFC 6386 9.1.
     */
    static byte[] vp8(boolean keyframe, int pictureId, int tl0PicIdx, int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(keyframe ? 15 : 8).put((byte) 0x90).put((byte) 0xC0)
                .putShort((short) (0x8000 | pictureId)).put((byte) tl0PicIdx);
        if (keyframe) {
            b.put((byte) 0x50).put((byte) 0x42).put((byte) 0x00).put((byte) 0x9d).put((byte) 0x01).put((byte) 0x2a)
                    .put((byte) width).put((byte) (width >> 8)).put((byte) height).put((byte) (height >> 8));
        } else {
            b.put((byte) 0x31).put((byte) 0x5a).put((byte) 0x00);
        }
        return b.array();
    }

    /** A REMB (draft-alvestrand-rmcat-remb 2.2): bitrate as 6-bit exponent and 18-bit mantissa, for the SSRCs. */
    static byte[] remb(int sender, long bitrate, int... ssrcs) {
        int exponent = 0;
        long mantissa = bitrate;
        while (mantissa > 0x3FFFF) {
            mantissa >>= 1;
            exponent++;
        }
        ByteBuffer b = header(15, 206, 4 + ssrcs.length).putInt(sender).putInt(0).put("REMB".getBytes(StandardCharsets.US_ASCII))
                .put((byte) ssrcs.length).put((byte) (exponent << 2 | mantissa >> 16)).putShort((short) mantissa);
        for (int ssrc : ssrcs) {
            b.putInt(ssrc);
        }
        return b.array();
    }

    /** An RTX packet (RFC 4588 4): the original sequence number, then the original payload. */
    static byte[] rtx(int payloadType, int sequence, int ssrc, int originalSequence, byte[] payload) {
        byte[] osn = ByteBuffer.allocate(2 + payload.length).putShort((short) originalSequence).put(payload).array();
        return rtp(payloadType, sequence, 9000, ssrc, osn);
    }

    // ---------------------------------------------------------------- RTCP (RFC 3550 6, RFC 4585 6, RFC 5104 4.3.1)

    private static ByteBuffer header(int countOrFmt, int type, int words) {
        return ByteBuffer.allocate(4 * (words + 1)).put((byte) (0x80 | countOrFmt)).put((byte) type)
                .putShort((short) words);
    }

    static byte[] pli(int sender, int media) {
        return header(1, 206, 2).putInt(sender).putInt(media).array();
    }

    /** A FIR with one FCI entry per target; the common header's media SSRC is 0 as RFC 5104 asks. */
    static byte[] fir(int sender, int... targets) {
        ByteBuffer b = header(4, 206, 2 + 2 * targets.length).putInt(sender).putInt(0);
        int sequence = 7;
        for (int target : targets) {
            b.putInt(target).put((byte) sequence++).put(new byte[3]);
        }
        return b.array();
    }

    static byte[] nack(int sender, int media, int packetId, int bitmask) {
        return header(1, 205, 3).putInt(sender).putInt(media).putShort((short) packetId).putShort((short) bitmask)
                .array();
    }

    /** A sender report with one report block (which the relay must not pass on). */
    static byte[] senderReport(int ssrc, long ntp, long rtpTimestamp, long packets, long octets) {
        return header(1, 200, 12).putInt(ssrc).putLong(ntp).putInt((int) rtpTimestamp).putInt((int) packets)
                .putInt((int) octets)
                .putInt(0x0BADCAFE).putInt(0x05000010).putInt(1234).putInt(20).putInt(0).putInt(0).array();
    }

    static byte[] receiverReport(int ssrc) {
        return header(0, 201, 1).putInt(ssrc).array();
    }

    /** SDES with one chunk holding a CNAME item, null-terminated and padded to a word. */
    static byte[] sdesCname(int ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.US_ASCII);
        int chunk = 4 + 2 + text.length + 1;
        int padded = (chunk + 3) / 4 * 4;
        return header(1, 202, padded / 4).putInt(ssrc).put((byte) 1).put((byte) text.length).put(text).array();
    }

    static byte[] compound(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** One packet of a compound: type, the 5-bit count/FMT field, and its bytes. */
    record Rtcp(int type, int count, byte[] bytes) {

        int int32(int offset) {
            return ByteBuffer.wrap(bytes).getInt(offset);
        }

        int uint16(int offset) {
            return ByteBuffer.wrap(bytes).getShort(offset) & 0xFFFF;
        }

        int uint8(int offset) {
            return bytes[offset] & 0xFF;
        }

        /** The length field, in 32-bit words minus one. */
        int lengthWords() {
            return uint16(2);
        }

        boolean is(int expectedType, int expectedCount) {
            return type == expectedType && count == expectedCount;
        }
    }

    /** Splits a decrypted compound packet by its length fields; fails on anything malformed. */
    static List<Rtcp> split(byte[] compound) {
        List<Rtcp> out = new ArrayList<>();
        int pos = 0;
        while (pos < compound.length) {
            if (compound.length - pos < 4 || (compound[pos] & 0xC0) != 0x80) {
                throw new AssertionError("malformed RTCP at " + pos);
            }
            int size = 4 * (((compound[pos + 2] & 0xFF) << 8 | (compound[pos + 3] & 0xFF)) + 1);
            if (pos + size > compound.length) {
                throw new AssertionError("RTCP length runs past the datagram at " + pos);
            }
            byte[] packet = new byte[size];
            System.arraycopy(compound, pos, packet, 0, size);
            out.add(new Rtcp(compound[pos + 1] & 0xFF, compound[pos] & 0x1F, packet));
            pos += size;
        }
        return out;
    }
}
