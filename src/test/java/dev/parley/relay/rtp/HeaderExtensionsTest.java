package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeaderExtensionsTest {

    /**
     * The one-byte example of RFC 8285 section 4.2 with ids 1, 2, 3: an element with L=0 (1 byte), one with L=1
     * (2 bytes), two padding bytes, one with L=3 (4 bytes). Length = 3 words.
     */
    private static final String ONE_BYTE_RFC_EXAMPLE =
            "BE DE 00 03 | 10 AA 21 BB | CC 00 00 33 | 01 02 03 04";

    /**
     * The two-byte example of RFC 8285 section 4.3 with ids 1, 2, 3: an element with L=0, one with L=1, one padding
     * byte, one with L=4. Length = 3 words.
     */
    private static final String TWO_BYTE_RFC_EXAMPLE =
            "10 00 00 03 | 01 00 02 01 | DD 00 03 04 | 05 06 07 08";

    private static final String RTP_HEADER = "90 60 0001 00000001 00000001";

    private final RtpPacket packet = new RtpPacket();

    private RtpPacket wrap(byte[] b) {
        assertThat(packet.wrap(b, 0, b.length)).isTrue();
        return packet;
    }

    private static int[] found(long packed) {
        return new int[] {HeaderExtensions.valueOffset(packed), HeaderExtensions.valueLength(packed)};
    }

    @Test
    void oneByteElements() {
        byte[] b = Hex.bytes(RTP_HEADER + ONE_BYTE_RFC_EXAMPLE + "99");
        RtpPacket p = wrap(b);
        assertThat(found(p.findExtension(1))).containsExactly(17, 1);
        assertThat(found(p.findExtension(2))).containsExactly(19, 2);
        assertThat(found(p.findExtension(3))).containsExactly(24, 4);
        assertThat(b[24]).isEqualTo((byte) 0x01);
        assertThat(p.findExtension(4)).isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(p.findExtension(0)).isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(p.payloadOffset()).isEqualTo(28);
    }

    @Test
    void twoByteElements() {
        byte[] b = Hex.bytes(RTP_HEADER + TWO_BYTE_RFC_EXAMPLE);
        RtpPacket p = wrap(b);
        assertThat(HeaderExtensions.isTwoByte(p.extensionProfile())).isTrue();
        assertThat(found(p.findExtension(1))).containsExactly(18, 0);
        assertThat(found(p.findExtension(2))).containsExactly(20, 1);
        assertThat(b[20]).isEqualTo((byte) 0xDD);
        assertThat(found(p.findExtension(3))).containsExactly(24, 4);
        assertThat(p.findExtension(200)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void twoByteProfileAcceptsAppBitsAndHighIds() {
        byte[] b = Hex.bytes(RTP_HEADER + "10 0F 00 01 | FA 01 42 00");
        RtpPacket p = wrap(b);
        assertThat(found(p.findExtension(250))).containsExactly(18, 1);
    }

    @Test
    void oneByteIdFifteenStopsTheWalk() {
        // id 1 (1 byte), then 0xF0 (reserved id 15), then what would be id 2
        byte[] b = Hex.bytes(RTP_HEADER + "BEDE 0001 | 10 AA F0 20");
        RtpPacket p = wrap(b);
        assertThat(found(p.findExtension(1))).containsExactly(17, 1);
        assertThat(p.findExtension(2)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void malformedElementsAreNotFound() {
        // id 1 claims 16 bytes in a 4-byte block
        RtpPacket p = wrap(Hex.bytes(RTP_HEADER + "BEDE 0001 | 1F AA BB CC"));
        assertThat(p.findExtension(1)).isEqualTo(HeaderExtensions.NOT_FOUND);
        // one-byte id 0 with a length is not padding
        p = wrap(Hex.bytes(RTP_HEADER + "BEDE 0001 | 01 AA 20 BB"));
        assertThat(p.findExtension(2)).isEqualTo(HeaderExtensions.NOT_FOUND);
        // two-byte element header cut off at the end of the block
        p = wrap(Hex.bytes(RTP_HEADER + "1000 0001 | 00 00 00 05"));
        assertThat(p.findExtension(5)).isEqualTo(HeaderExtensions.NOT_FOUND);
        // unknown profile
        p = wrap(Hex.bytes(RTP_HEADER + "ABCD 0001 | 10 AA 00 00"));
        assertThat(p.findExtension(1)).isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(p.remapExtensionIds(new byte[16])).isFalse();
    }

    @Test
    void remapOneByte() {
        byte[] b = Hex.bytes(RTP_HEADER + ONE_BYTE_RFC_EXAMPLE);
        RtpPacket p = wrap(b);
        byte[] map = new byte[16];
        map[1] = 9; // keep, renumber
        map[2] = 0; // erase
        map[3] = 14;
        assertThat(p.remapExtensionIds(map)).isTrue();
        assertThat(Arrays.copyOfRange(b, 16, 28)).isEqualTo(Hex.bytes("90 AA 00 00 | 00 00 00 E3 | 01 02 03 04"));
        assertThat(found(p.findExtension(9))).containsExactly(17, 1);
        assertThat(found(p.findExtension(14))).containsExactly(24, 4);
        assertThat(p.findExtension(2)).isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(p.findExtension(1)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void remapTwoByte() {
        byte[] b = Hex.bytes(RTP_HEADER + TWO_BYTE_RFC_EXAMPLE);
        RtpPacket p = wrap(b);
        byte[] map = new byte[256];
        map[1] = (byte) 200;
        map[2] = 7;
        map[3] = 0;
        assertThat(p.remapExtensionIds(map)).isTrue();
        assertThat(Arrays.copyOfRange(b, 16, 28)).isEqualTo(Hex.bytes("C8 00 07 01 | DD 00 00 00 | 00 00 00 00"));
        assertThat(found(p.findExtension(200))).containsExactly(18, 0);
        assertThat(found(p.findExtension(7))).containsExactly(20, 1);
        assertThat(p.findExtension(3)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void remapLeavesIdsBeyondTheMapAlone() {
        byte[] b = Hex.bytes(RTP_HEADER + ONE_BYTE_RFC_EXAMPLE);
        RtpPacket p = wrap(b);
        assertThat(p.remapExtensionIds(new byte[] {0, 4})).isTrue(); // only id 1 is covered
        assertThat(found(p.findExtension(4))).containsExactly(17, 1);
        assertThat(found(p.findExtension(2))).containsExactly(19, 2);
        assertThat(found(p.findExtension(3))).containsExactly(24, 4);
    }

    @Test
    void remapRefusesWithoutTouchingBytes() {
        byte[] b = Hex.bytes(RTP_HEADER + ONE_BYTE_RFC_EXAMPLE);
        byte[] before = b.clone();
        RtpPacket p = wrap(b);
        byte[] map = new byte[16];
        map[1] = 5;
        map[3] = 15; // not a one-byte id
        assertThat(p.remapExtensionIds(map)).isFalse();
        assertThat(b).isEqualTo(before);

        byte[] malformed = Hex.bytes(RTP_HEADER + "BEDE 0002 | 10 AA 2F BB | CC DD EE FF");
        byte[] malformedBefore = malformed.clone();
        p = wrap(malformed);
        assertThat(p.remapExtensionIds(new byte[16])).isFalse();
        assertThat(malformed).isEqualTo(malformedBefore);
    }

    @Test
    void remapStopsAtIdFifteen() {
        byte[] b = Hex.bytes(RTP_HEADER + "BEDE 0001 | 10 AA F0 20");
        RtpPacket p = wrap(b);
        byte[] map = new byte[16];
        map[1] = 3;
        map[2] = 4;
        assertThat(p.remapExtensionIds(map)).isTrue();
        assertThat(Arrays.copyOfRange(b, 16, 20)).isEqualTo(Hex.bytes("30 AA F0 20"));
    }

    @Test
    void packetWithoutExtensionRemapsTrivially() {
        byte[] b = Hex.bytes("80 60 0001 00000001 00000001");
        assertThat(wrap(b).remapExtensionIds(new byte[16])).isTrue();
    }
}
