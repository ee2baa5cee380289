package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private final RtpPacket packet = new RtpPacket();

    @Test
    void fixedHeaderFields() {
        // V=2 P=0 X=0 CC=0 | M=1 PT=96 | seq 0x1234 | ts 0xDEADBEEF | SSRC 0x11223344 | payload "abc"
        byte[] b = Hex.bytes("80 E0 1234 DEADBEEF 11223344 616263");
        assertThat(packet.wrap(b, 0, b.length)).isTrue();
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(96);
        assertThat(packet.sequenceNumber()).isEqualTo(0x1234);
        assertThat(packet.timestamp()).isEqualTo(0xDEADBEEFL);
        assertThat(packet.ssrc()).isEqualTo(0x11223344);
        assertThat(packet.csrcCount()).isZero();
        assertThat(packet.hasExtension()).isFalse();
        assertThat(packet.hasPadding()).isFalse();
        assertThat(packet.headerLength()).isEqualTo(12);
        assertThat(packet.payloadOffset()).isEqualTo(12);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(packet.extensionProfile()).isEqualTo(-1);
        assertThat(packet.findExtension(1)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void csrcsExtensionAndPaddingAtAnOffset() {
        // V=2 P=1 X=1 CC=2 = 0xB2 | M=0 PT=111 | seq 65535 | ts 0 | SSRC 0xFFFFFFFF | CSRC 1, CSRC 2
        // extension 0xBEDE length 1: ID=5 L=1 data 0xAB 0xCD, one padding byte | payload 2 bytes | padding 3 bytes
        byte[] b = Hex.bytes("EEEE" + "B2 6F FFFF 00000000 FFFFFFFF 00000001 00000002"
                + "BEDE 0001 51ABCD00" + "0102" + "000003" + "EE");
        int len = b.length - 3;
        assertThat(packet.wrap(b, 2, len)).isTrue();
        assertThat(packet.marker()).isFalse();
        assertThat(packet.payloadType()).isEqualTo(111);
        assertThat(packet.sequenceNumber()).isEqualTo(65535);
        assertThat(packet.ssrc()).isEqualTo(-1);
        assertThat(packet.csrcCount()).isEqualTo(2);
        assertThat(packet.csrc(0)).isEqualTo(1);
        assertThat(packet.csrc(1)).isEqualTo(2);
        assertThat(packet.hasExtension()).isTrue();
        assertThat(packet.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(packet.extensionDataOffset()).isEqualTo(2 + 20 + 4);
        assertThat(packet.extensionDataLength()).isEqualTo(4);
        assertThat(packet.headerLength()).isEqualTo(12 + 8 + 4 + 4);
        assertThat(packet.payloadOffset()).isEqualTo(2 + 28);
        assertThat(packet.paddingLength()).isEqualTo(3);
        assertThat(packet.payloadLength()).isEqualTo(2);
        assertThat(b[packet.payloadOffset()]).isEqualTo((byte) 1);

        long found = packet.findExtension(5);
        assertThat(HeaderExtensions.valueOffset(found)).isEqualTo(2 + 12 + 8 + 4 + 1);
        assertThat(HeaderExtensions.valueLength(found)).isEqualTo(2);
    }

    @Test
    void paddingOnlyPacket() {
        byte[] b = Hex.bytes("A0 60 0001 00000001 00000001 00000004");
        assertThat(packet.wrap(b, 0, b.length)).isTrue();
        assertThat(packet.payloadLength()).isZero();
        assertThat(packet.paddingLength()).isEqualTo(4);
    }

    @Test
    void rejectsMalformed() {
        byte[] good = Hex.bytes("80 60 0001 00000001 00000001 AA");
        assertThat(packet.wrap(good, 0, good.length)).isTrue();
        assertThat(packet.wrap(good, 0, 11)).as("shorter than fixed header").isFalse();
        assertThat(packet.wrap(null, 0, 12)).isFalse();
        assertThat(packet.wrap(good, 2, good.length)).as("range outside buffer").isFalse();
        assertThat(packet.wrap(good, -1, 12)).isFalse();
        for (int version : new int[] {0, 1, 3}) {
            byte[] b = good.clone();
            b[0] = (byte) (version << 6);
            assertThat(packet.wrap(b, 0, b.length)).as("version %d", version).isFalse();
        }
        byte[] csrcOverrun = good.clone();
        csrcOverrun[0] = (byte) 0x81; // one CSRC needs 16 bytes, only 13 present
        assertThat(packet.wrap(csrcOverrun, 0, csrcOverrun.length)).isFalse();

        byte[] extensionHeaderMissing = Hex.bytes("90 60 0001 00000001 00000001 BEDE");
        assertThat(packet.wrap(extensionHeaderMissing, 0, extensionHeaderMissing.length)).isFalse();
        byte[] extensionOverrun = Hex.bytes("90 60 0001 00000001 00000001 BEDE 0002 10AA0000");
        assertThat(packet.wrap(extensionOverrun, 0, extensionOverrun.length)).isFalse();
        byte[] extensionExact = Hex.bytes("90 60 0001 00000001 00000001 BEDE 0001 10AA0000");
        assertThat(packet.wrap(extensionExact, 0, extensionExact.length)).isTrue();
        assertThat(packet.payloadLength()).isZero();

        byte[] zeroPadding = Hex.bytes("A0 60 0001 00000001 00000001 AA00");
        assertThat(packet.wrap(zeroPadding, 0, zeroPadding.length)).isFalse();
        byte[] paddingOverrun = Hex.bytes("A0 60 0001 00000001 00000001 AA03");
        assertThat(packet.wrap(paddingOverrun, 0, paddingOverrun.length)).isFalse();
    }

    @Test
    void settersRewriteOnlyTheirField() {
        byte[] b = Hex.bytes("B1 E0 1234 DEADBEEF 11223344 CAFEBABE BEDE0001 10AA0000 77 01");
        byte[] before = b.clone();
        assertThat(packet.wrap(b, 0, b.length)).isTrue();

        packet.setSsrc(0xA1B2C3D4);
        packet.setSequenceNumber(0x1FFFF); // only the low 16 bits
        packet.setTimestamp(0x1_0000_0005L); // only the low 32 bits
        packet.setPayloadType(0xFF); // only 7 bits
        packet.setMarker(false);

        assertThat(Arrays.copyOfRange(b, 0, 12)).isEqualTo(Hex.bytes("B1 7F FFFF 00000005 A1B2C3D4"));
        assertThat(Arrays.copyOfRange(b, 12, b.length)).isEqualTo(Arrays.copyOfRange(before, 12, before.length));

        packet.setPayloadType(96);
        packet.setMarker(true);
        assertThat(b[1]).isEqualTo((byte) 0xE0);
        assertThat(packet.payloadType()).isEqualTo(96);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.ssrc()).isEqualTo(0xA1B2C3D4);
        assertThat(packet.sequenceNumber()).isEqualTo(0xFFFF);
        assertThat(packet.timestamp()).isEqualTo(5);
    }
}
