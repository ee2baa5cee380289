package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransportSequenceNumberTest {

    /**
     * Headers of captured Chrome video packets with their extensions, where id 4 is the transport-wide sequence number
     * (and 2 abs-send-time, 9 mid, 13 the dependency descriptor), from olivermichel/webrtc-analysis,
     * test/include/data.h ({@code rtp_pkt1}, {@code rtp_pkt3}): one-byte form with value 0x009b, two-byte form
     * (profile 0x1000) with value 0x0002.
     */
    private static final String CHROME_ONE_BYTE = "90 2d 1a 5f d4 09 05 49 f7 b1 6e 83 be de 00 03"
            + "22 f3 43 50 41 00 9b d2 81 00 45 00";
    private static final String CHROME_TWO_BYTE = "90 2d 61 c5 95 0a 0f ee 8d 38 14 e5 10 00 00 11"
            + "02 03 03 f7 ae 04 02 00 02 09 01 30 03 01 00 06 01 02"
            + "07 0d 01 00 01 00 07 00 07 00 0a 00 00 00 00"
            + "0d 21 c0 00 01 80 03 18 7a aa f1 30 a0 a0 14 d1 41 38 23 04 60 08 64 22 22 26 50 09"
            + "f0 07 70 13 f0 0e f0";

    private final RtpPacket packet = new RtpPacket();

    private RtpPacket wrap(byte[] b) {
        assertThat(packet.wrap(b, 0, b.length)).isTrue();
        return packet;
    }

    @Test
    void readsAndOverwritesTheOneByteForm() {
        byte[] b = Hex.bytes(CHROME_ONE_BYTE + "01 02 03");
        byte[] before = b.clone();
        wrap(b);
        assertThat(TransportSequenceNumber.read(packet, 4)).isEqualTo(0x009b);
        assertThat(TransportSequenceNumber.write(packet, 4, 0x1_FEDC)).isTrue();
        assertThat(TransportSequenceNumber.read(packet, 4)).isEqualTo(0xFEDC);
        assertThat(b[21]).isEqualTo((byte) 0xFE);
        assertThat(b[22]).isEqualTo((byte) 0xDC);
        b[21] = before[21];
        b[22] = before[22];
        assertThat(b).as("nothing else changed").isEqualTo(before);
        assertThat(wrap(b).payloadLength()).isEqualTo(3);
    }

    @Test
    void readsAndOverwritesTheTwoByteForm() {
        byte[] b = Hex.bytes(CHROME_TWO_BYTE);
        byte[] before = b.clone();
        wrap(b);
        assertThat(TransportSequenceNumber.read(packet, 4)).isEqualTo(2);
        assertThat(TransportSequenceNumber.write(packet, 4, 65_535)).isTrue();
        assertThat(TransportSequenceNumber.read(packet, 4)).isEqualTo(65_535);
        b[23] = before[23];
        b[24] = before[24];
        assertThat(b).isEqualTo(before);
    }

    @Test
    void leavesPacketsWithoutA2ByteElementAlone() {
        byte[] b = Hex.bytes(CHROME_ONE_BYTE);
        byte[] before = b.clone();
        wrap(b);
        assertThat(TransportSequenceNumber.read(packet, 3)).as("absent").isEqualTo(TransportSequenceNumber.NOT_FOUND);
        assertThat(TransportSequenceNumber.write(packet, 3, 1)).isFalse();
        assertThat(TransportSequenceNumber.read(packet, 2)).as("3 bytes long").isEqualTo(-1);
        assertThat(TransportSequenceNumber.write(packet, 2, 1)).isFalse();
        assertThat(b).isEqualTo(before);

        byte[] plain = Hex.bytes("80 60 00 01 00 00 00 01 00 00 00 01 aa");
        wrap(plain);
        assertThat(TransportSequenceNumber.write(packet, 4, 1)).as("no extension block").isFalse();
    }

    @Test
    void rewritesWhatTheHeaderWriterAdded() {
        byte[] b = new byte[64];
        int header = new RtpHeaderWriter().begin(b, 0, b.length, 96, false, 7, 1234, 0x11223344)
                .addExtension(1, 0x30, 1).addExtension(5, 17, TransportSequenceNumber.VALUE_LENGTH).finish();
        assertThat(packet.wrap(b, 0, header + 10)).isTrue();
        assertThat(TransportSequenceNumber.read(packet, 5)).isEqualTo(17);
        for (int seq = 0; seq < 70_000; seq += 997) {
            assertThat(TransportSequenceNumber.write(packet, 5, seq)).isTrue();
            assertThat(TransportSequenceNumber.read(packet, 5)).isEqualTo(seq & 0xFFFF);
        }
        assertThat(TransportSequenceNumber.read(packet, 1)).isEqualTo(-1);
    }

    @Test
    void stampsInPlaceWhenTheElementIsThere() {
        byte[] b = Hex.bytes(CHROME_ONE_BYTE + "01 02 03");
        wrap(b);
        assertThat(TransportSequenceNumber.stamp(packet, 100, 4, 0x1234)).isEqualTo(b.length);
        assertThat(b[21]).isEqualTo((byte) 0x12);
        assertThat(b[22]).isEqualTo((byte) 0x34);
    }

    @Test
    void addsAOneByteBlockToAPacketWithoutExtensions() {
        // V=2, CC=1, PT 96, seq 1, ts 2, SSRC, one CSRC, payload a1 a2 a3
        byte[] b = new byte[64];
        byte[] original = Hex.bytes("81 60 00 01 00 00 00 02 11 22 33 44 55 66 77 88 a1 a2 a3");
        System.arraycopy(original, 0, b, 0, original.length);
        assertThat(packet.wrap(b, 0, original.length)).isTrue();
        assertThat(TransportSequenceNumber.stamp(packet, 64, 5, 0xBEEF)).isEqualTo(original.length + 8);
        assertThat(java.util.Arrays.copyOf(b, original.length + 8)).isEqualTo(
                Hex.bytes("91 60 00 01 00 00 00 02 11 22 33 44 55 66 77 88 be de 00 01 51 be ef 00 a1 a2 a3"));
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(TransportSequenceNumber.read(packet, 5)).isEqualTo(0xBEEF);
    }

    @Test
    void appendsToAOneByteBlockAndKeepsTheOtherElements() {
        byte[] original = Hex.bytes(CHROME_ONE_BYTE + "01 02 03");
        byte[] b = java.util.Arrays.copyOf(original, original.length + 16);
        assertThat(packet.wrap(b, 0, original.length)).isTrue();
        assertThat(TransportSequenceNumber.stamp(packet, b.length, 7, 0x0102)).isEqualTo(original.length + 4);
        assertThat(TransportSequenceNumber.read(packet, 7)).isEqualTo(0x0102);
        assertThat(TransportSequenceNumber.read(packet, 4)).isEqualTo(0x009b);
        assertThat(packet.extensionDataLength()).isEqualTo(16);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(b[packet.payloadOffset()]).isEqualTo((byte) 1);
    }

    @Test
    void appendsToATwoByteBlock() {
        byte[] original = Hex.bytes(CHROME_TWO_BYTE + "01 02 03");
        byte[] b = java.util.Arrays.copyOf(original, original.length + 4);
        assertThat(packet.wrap(b, 0, original.length)).isTrue();
        int payload = packet.payloadLength();
        byte firstPayloadByte = b[packet.payloadOffset()];
        assertThat(TransportSequenceNumber.stamp(packet, b.length, 20, 0xA0B0)).isEqualTo(original.length + 4);
        assertThat(TransportSequenceNumber.read(packet, 20)).isEqualTo(0xA0B0);
        assertThat(TransportSequenceNumber.read(packet, 4)).isEqualTo(0x0002);
        assertThat(packet.payloadLength()).isEqualTo(payload);
        assertThat(b[packet.payloadOffset()]).isEqualTo(firstPayloadByte);
    }

    @Test
    void refusesWhatItCannotDoWithoutChangingAByte() {
        byte[] original = Hex.bytes(CHROME_ONE_BYTE + "01 02 03");
        byte[] b = java.util.Arrays.copyOf(original, original.length + 16);
        byte[] before = b.clone();
        assertThat(packet.wrap(b, 0, original.length)).isTrue();
        assertThat(TransportSequenceNumber.stamp(packet, original.length + 3, 7, 1)).isEqualTo(-1); // no room
        assertThat(TransportSequenceNumber.stamp(packet, b.length, 15, 1)).isEqualTo(-1); // not a one-byte id
        assertThat(TransportSequenceNumber.stamp(packet, b.length, 2, 1)).isEqualTo(-1); // id 2 is 3 bytes long here
        assertThat(b).isEqualTo(before);
    }
}
