package dev.parley.relay.srtp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Builders for plain RTP/RTCP packets and session pairs used by the SRTP tests. */
final class SrtpTestPackets {
    private SrtpTestPackets() {
    }

    static byte[] rtp(int ssrc, int seq, int payloadLength, SplittableRandom random) {
        return rtp(ssrc, seq, 0, 0, payloadLength, random);
    }

    /** RTP with {@code csrcCount} CSRCs and, if {@code extensionWords > 0}, a one-byte-header extension. */
    static byte[] rtp(int ssrc, int seq, int csrcCount, int extensionWords, int payloadLength, SplittableRandom random) {
        int headerLength = 12 + 4 * csrcCount + (extensionWords > 0 ? 4 + 4 * extensionWords : 0);
        ByteBuffer b = ByteBuffer.allocate(headerLength + payloadLength);
        b.put((byte) (0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount));
        b.put((byte) 96);
        b.putShort((short) seq);
        b.putInt(seq * 960);
        b.putInt(ssrc);
        for (int i = 0; i < csrcCount; i++) {
            b.putInt(random.nextInt());
        }
        if (extensionWords > 0) {
            b.putShort((short) 0xBEDE).putShort((short) extensionWords);
            for (int i = 0; i < extensionWords * 4; i++) {
                b.put((byte) random.nextInt(256));
            }
        }
        byte[] payload = new byte[payloadLength];
        random.nextBytes(payload);
        b.put(payload);
        return b.array();
    }

    static int rtpHeaderLength(byte[] rtp) {
        int length = 12 + 4 * (rtp[0] & 0x0F);
        if ((rtp[0] & 0x10) != 0) {
            length += 4 + 4 * (((rtp[length + 2] & 0xFF) << 8) | (rtp[length + 3] & 0xFF));
        }
        return length;
    }

    /** A receiver report (PT 201) with one report block, then {@code extra} random bytes (e.g. an SDES chunk). */
    static byte[] rtcp(int senderSsrc, int extra, SplittableRandom random) {
        int words = 7 + (extra + 3) / 4;
        ByteBuffer b = ByteBuffer.allocate(4 * (words + 1));
        b.put((byte) 0x81).put((byte) 201).putShort((short) words).putInt(senderSsrc);
        byte[] rest = new byte[b.remaining()];
        random.nextBytes(rest);
        b.put(rest);
        return b.array();
    }

    static SrtpKeyingMaterial randomKeys(SrtpProfile profile, SplittableRandom random) {
        return new SrtpKeyingMaterial(profile, randomBytes(profile.keyLength(), random),
                randomBytes(profile.saltLength(), random), randomBytes(profile.keyLength(), random),
                randomBytes(profile.saltLength(), random));
    }

    static byte[] randomBytes(int length, SplittableRandom random) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A buffer holding {@code content} at {@code offset}, with room for the SRTP overhead. */
    static PacketBuffer buffer(byte[] content, int offset) {
        PacketBuffer packet = new PacketBuffer(offset + content.length + PacketBuffer.SRTP_OVERHEAD);
        System.arraycopy(content, 0, packet.buffer(), offset, content.length);
        packet.set(offset, content.length);
        return packet;
    }

    static byte[] content(PacketBuffer packet) {
        return Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length());
    }
}
