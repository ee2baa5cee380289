package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpHeaderWriterTest {

    @Test
    void fixedHeader() {
        byte[] b = new byte[20];
        int n = RtpHeaderWriter.writeFixedHeader(b, 4, 111, true, 0xABCD, 0x1_2345_6789L, 0xCAFEBABE);
        assertThat(n).isEqualTo(12);
        assertThat(Arrays.copyOfRange(b, 4, 16)).isEqualTo(Hex.bytes("80 EF ABCD 23456789 CAFEBABE"));
        assertThat(RtpHeaderWriter.writeFixedHeader(b, 9, 96, false, 1, 1, 1)).isEqualTo(-1);
    }

    @Test
    void headerWithOneByteExtensions() {
        byte[] b = new byte[64];
        RtpHeaderWriter writer = new RtpHeaderWriter();
        int n = writer.begin(b, 0, b.length, 96, false, 7, 90_000, 0x01020304)
                .addExtension(3, 0x123456, 3) // abs-send-time, 3 bytes
                .addExtension(5, 0x0102, 2) // transport-wide sequence number
                .addExtension(1, new byte[] {'v', 'i', 'd'}, 0, 3) // mid
                .finish();
        // 4 + 3 + 4 = 11 bytes of elements, padded to 12 = 3 words
        assertThat(n).isEqualTo(12 + 4 + 12);
        assertThat(Arrays.copyOfRange(b, 0, n)).isEqualTo(Hex.bytes(
                "90 60 0007 00015F90 01020304"
                + "BEDE 0003"
                + "32 123456 | 51 0102 | 12 766964 | 00")); // |ID|L=len-1| value

        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(b, 0, n + 10)).isTrue();
        assertThat(packet.payloadOffset()).isEqualTo(n);
        long mid = packet.findExtension(1);
        assertThat(new String(b, HeaderExtensions.valueOffset(mid), HeaderExtensions.valueLength(mid)))
                .isEqualTo("vid");
        assertThat(HeaderExtensions.valueLength(packet.findExtension(3))).isEqualTo(3);
    }

    @Test
    void blockAlreadyAlignedGetsNoPadding() {
        byte[] b = new byte[32];
        int n = new RtpHeaderWriter().begin(b, 0, b.length, 0, true, 0, 0, 0)
                .addExtension(2, 0xAABBCC, 3)
                .finish();
        assertThat(n).isEqualTo(20);
        assertThat(Arrays.copyOfRange(b, 12, 20)).isEqualTo(Hex.bytes("BEDE 0001 22 AABBCC"));
    }

    @Test
    void overflowReturnsMinusOne() {
        RtpHeaderWriter writer = new RtpHeaderWriter();
        assertThat(writer.begin(new byte[11], 0, 11, 96, false, 0, 0, 0).finish()).isEqualTo(-1);
        assertThat(writer.begin(new byte[15], 0, 15, 96, false, 0, 0, 0).addExtension(1, 1, 1).finish())
                .isEqualTo(-1);
        assertThat(writer.begin(new byte[18], 0, 18, 96, false, 0, 0, 0).addExtension(1, 1, 1).finish())
                .as("element fits, padding does not").isEqualTo(-1);
        assertThat(writer.begin(new byte[20], 0, 20, 96, false, 0, 0, 0).addExtension(1, 1, 1).finish())
                .isEqualTo(20);
    }
}
