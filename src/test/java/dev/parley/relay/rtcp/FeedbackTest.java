package dev.parley.relay.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FeedbackTest {

    @Test
    void readsGenericNack() {
        GenericNack nack = new GenericNack();
        assertThat(nack.wrap(RtcpSamples.NACK, 0, RtcpSamples.NACK.length)).isTrue();
        assertThat(nack.senderSsrc()).isEqualTo(0x11223344);
        assertThat(nack.mediaSsrc()).isEqualTo(0x55667788);
        assertThat(nack.pairCount()).isEqualTo(1);
        assertThat(nack.packetId(0)).isEqualTo(100);
        assertThat(nack.lostPacketBitmask(0)).isEqualTo(0x8005);
        assertThat(nack.lostCount()).isEqualTo(4);
        int[] lost = new int[10];
        assertThat(nack.lostSequenceNumbers(lost, 0)).isEqualTo(4);
        assertThat(Arrays.copyOf(lost, 4)).containsExactly(100, 101, 103, 116);
        int[] small = new int[3];
        assertThat(nack.lostSequenceNumbers(small, 1)).as("stops when full").isEqualTo(2);
        assertThat(small).containsExactly(0, 100, 101);
    }

    @Test
    void nackBitmaskWrapsAround() {
        byte[] b = Hex.bytes("81 CD 00 04 | 00 00 00 01 | 00 00 00 02 | FF FE 00 07 | 00 14 00 00");
        GenericNack nack = new GenericNack();
        assertThat(nack.wrap(b, 0, b.length)).isTrue();
        int[] lost = new int[20];
        int n = nack.lostSequenceNumbers(lost, 0);
        assertThat(Arrays.copyOf(lost, n)).containsExactly(65534, 65535, 0, 1, 20);
    }

    @Test
    void writesGenericNack() {
        byte[] out = new byte[16];
        int n = GenericNack.write(out, 0, 0x11223344, 0x55667788, new int[] {100, 101, 103, 116}, 4);
        assertThat(n).isEqualTo(16);
        assertThat(out).isEqualTo(RtcpSamples.NACK);

        out = new byte[32];
        n = GenericNack.write(out, 0, 1, 2, new int[] {65534, 65535, 0, 1, 1, 20, 999}, 6);
        assertThat(Arrays.copyOf(out, n))
                .isEqualTo(Hex.bytes("81 CD 00 04 | 00 00 00 01 | 00 00 00 02 | FF FE 00 07 | 00 14 00 00"));

        assertThat(GenericNack.write(new byte[19], 0, 1, 2, new int[] {1, 100}, 2)).isEqualTo(-1);
    }

    @Test
    void nackRoundTripOfManyLosses() {
        int[] lost = new int[300];
        int n = 0;
        for (int seq = 65_400; n < lost.length; seq += 1 + (seq % 3)) {
            lost[n++] = seq & 0xFFFF;
        }
        byte[] out = new byte[1500];
        int len = GenericNack.write(out, 0, 1, 2, lost, lost.length);
        GenericNack nack = new GenericNack();
        assertThat(nack.wrap(out, 0, len)).isTrue();
        int[] back = new int[400];
        int m = nack.lostSequenceNumbers(back, 0);
        assertThat(Arrays.copyOf(back, m)).containsExactly(lost);
    }

    @Test
    void pictureLossIndication() {
        PictureLossIndication pli = new PictureLossIndication();
        assertThat(pli.wrap(RtcpSamples.PLI, 0, RtcpSamples.PLI.length)).isTrue();
        assertThat(pli.senderSsrc()).isEqualTo(0x11223344);
        assertThat(pli.mediaSsrc()).isEqualTo(0x55667788);
        assertThat(pli.fciLength()).isZero();
        byte[] out = new byte[12];
        assertThat(PictureLossIndication.write(out, 0, 0x11223344, 0x55667788)).isEqualTo(12);
        assertThat(out).isEqualTo(RtcpSamples.PLI);
        assertThat(PictureLossIndication.write(out, 1, 0, 0)).isEqualTo(-1);
        assertThat(pli.wrap(RtcpSamples.FIR, 0, RtcpSamples.FIR.length)).as("FMT 4 is not a PLI").isFalse();
    }

    @Test
    void fullIntraRequest() {
        FullIntraRequest fir = new FullIntraRequest();
        assertThat(fir.wrap(RtcpSamples.FIR, 0, RtcpSamples.FIR.length)).isTrue();
        assertThat(fir.senderSsrc()).isEqualTo(0x11223344);
        assertThat(fir.mediaSsrc()).isZero();
        assertThat(fir.entryCount()).isEqualTo(1);
        assertThat(fir.entrySsrc(0)).isEqualTo(0x55667788);
        assertThat(fir.entrySequenceNumber(0)).isEqualTo(7);

        byte[] out = new byte[20];
        assertThat(FullIntraRequest.write(out, 0, 0x11223344, 0x55667788, 7)).isEqualTo(20);
        assertThat(out).isEqualTo(RtcpSamples.FIR);

        byte[] two = new byte[28];
        int n = FullIntraRequest.write(two, 0, 1, new int[] {0xA, 0xB}, new int[] {255, 256}, 2);
        assertThat(n).isEqualTo(28);
        assertThat(two).isEqualTo(Hex.bytes(
                "84 CE 00 06 | 00 00 00 01 | 00 00 00 00 | 00 00 00 0A | FF 00 00 00 | 00 00 00 0B | 00 00 00 00"));

        fir.wrap(two, 0, n);
        fir.setEntrySsrc(1, 0x0C);
        fir.setEntrySequenceNumber(1, 3);
        fir.setSenderSsrc(0x0D);
        assertThat(Arrays.copyOfRange(two, 20, 28)).isEqualTo(Hex.bytes("00 00 00 0C | 03 00 00 00"));
        assertThat(fir.senderSsrc()).isEqualTo(0x0D);
    }

    @Test
    void remb() {
        Remb remb = new Remb();
        assertThat(remb.wrap(RtcpSamples.REMB, 0, RtcpSamples.REMB.length)).isTrue();
        assertThat(remb.senderSsrc()).isEqualTo(0x11223344);
        assertThat(remb.mediaSsrc()).isZero();
        assertThat(remb.ssrcCount()).isEqualTo(1);
        assertThat(remb.exponent()).isEqualTo(2);
        assertThat(remb.mantissa()).isEqualTo(250_000);
        assertThat(remb.bitrate()).isEqualTo(1_000_000);
        assertThat(remb.ssrc(0)).isEqualTo(0x55667788);

        byte[] out = new byte[24];
        assertThat(Remb.write(out, 0, 0x11223344, 1_000_000, new int[] {0x55667788}, 1)).isEqualTo(24);
        assertThat(out).isEqualTo(RtcpSamples.REMB);

        remb.wrap(out, 0, 24);
        remb.setSsrc(0, 0x01020304);
        assertThat(remb.ssrc(0)).isEqualTo(0x01020304);
    }

    @Test
    void rembBitrateEncoding() {
        byte[] out = new byte[64];
        Remb remb = new Remb();
        for (long bitrate : new long[] {0, 1, 262_143, 262_144, 262_145, 30_000_000, 2_500_000_000L,
                Long.MAX_VALUE}) {
            int n = Remb.write(out, 0, 1, bitrate, new int[0], 0);
            assertThat(remb.wrap(out, 0, n)).isTrue();
            assertThat(remb.mantissa()).isLessThan(1 << 18);
            // rounded down, losing less than one step of the exponent
            assertThat(remb.bitrate()).isLessThanOrEqualTo(bitrate);
            assertThat(bitrate - remb.bitrate()).isLessThan(1L << remb.exponent());
        }
        // 262144 = 2^18 does not fit 18 bits: exponent 1, mantissa 131072
        Remb.write(out, 0, 1, 262_144, new int[0], 0);
        remb.wrap(out, 0, 20);
        assertThat(remb.exponent()).isEqualTo(1);
        assertThat(remb.mantissa()).isEqualTo(131_072);
    }

    @Test
    void rembSaturatesHugeExponents() {
        byte[] b = RtcpSamples.REMB.clone();
        b[17] = (byte) 0xFF; // exp 63, mantissa top bits set
        Remb remb = new Remb();
        assertThat(remb.wrap(b, 0, b.length)).isTrue();
        assertThat(remb.bitrate()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rembValidation() {
        byte[] wrongId = RtcpSamples.REMB.clone();
        wrongId[15] = 'C';
        assertThat(new Remb().wrap(wrongId, 0, wrongId.length)).isFalse();
        byte[] tooManySsrcs = RtcpSamples.REMB.clone();
        tooManySsrcs[16] = 2;
        assertThat(new Remb().wrap(tooManySsrcs, 0, tooManySsrcs.length)).isFalse();
    }

    @Test
    void genericFeedbackRecognisesKindsAndRewritesSsrcs() {
        FeedbackPacket fb = new FeedbackPacket();
        assertThat(fb.wrap(RtcpSamples.TRANSPORT_CC, 0, RtcpSamples.TRANSPORT_CC.length)).isTrue();
        assertThat(fb.isTransportCc()).isTrue();
        assertThat(fb.isGenericNack()).isFalse();
        assertThat(fb.fciLength()).isEqualTo(12);

        assertThat(fb.wrap(RtcpSamples.NACK, 0, 16)).isTrue();
        assertThat(fb.isGenericNack()).isTrue();
        assertThat(fb.wrap(RtcpSamples.PLI, 0, 12)).isTrue();
        assertThat(fb.isPictureLossIndication()).isTrue();
        assertThat(fb.wrap(RtcpSamples.FIR, 0, 20)).isTrue();
        assertThat(fb.isFullIntraRequest()).isTrue();
        assertThat(fb.wrap(RtcpSamples.REMB, 0, 24)).isTrue();
        assertThat(fb.isRemb()).isTrue();
        assertThat(fb.isTransportCc()).isFalse();
        assertThat(fb.wrap(RtcpSamples.SENDER_REPORT, 0, 52)).isFalse();

        byte[] pli = RtcpSamples.PLI.clone();
        fb.wrap(pli, 0, pli.length);
        fb.setSenderSsrc(0x0A0A0A0A);
        fb.setMediaSsrc(0x0B0B0B0B);
        assertThat(pli).isEqualTo(Hex.bytes("81 CE 00 02 | 0A 0A 0A 0A | 0B 0B 0B 0B"));
    }

    @Test
    void feedbackTooShortForItsSsrcs() {
        byte[] b = Hex.bytes("81 CE 00 01 | 11 22 33 44");
        assertThat(new FeedbackPacket().wrap(b, 0, b.length)).isFalse();
        assertThat(new PictureLossIndication().wrap(b, 0, b.length)).isFalse();
    }
}
