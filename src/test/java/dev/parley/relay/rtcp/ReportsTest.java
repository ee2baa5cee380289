package dev.parley.relay.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private final ReportBlock block = new ReportBlock();

    @Test
    void readsSenderReportFieldByField() {
        SenderReport sr = new SenderReport();
        assertThat(sr.wrap(RtcpSamples.SENDER_REPORT, 0, RtcpSamples.SENDER_REPORT.length)).isTrue();
        assertThat(sr.senderSsrc()).isEqualTo(0x11223344);
        assertThat(sr.ntpTimestamp()).isEqualTo(0xE8D4A510_80000000L);
        assertThat(sr.rtpTimestamp()).isEqualTo(90_000);
        assertThat(sr.packetCount()).isEqualTo(1000);
        assertThat(sr.octetCount()).isEqualTo(1_000_000);
        assertThat(sr.reportCount()).isEqualTo(1);

        sr.reportBlock(0, block);
        assertThat(block.ssrc()).isEqualTo(0x55667788);
        assertThat(block.fractionLost()).isEqualTo(64);
        assertThat(block.cumulativeLost()).isEqualTo(-2);
        assertThat(block.extendedHighestSequenceNumber()).isEqualTo(65536 + 5);
        assertThat(block.jitter()).isEqualTo(300);
        assertThat(block.lastSenderReport()).isEqualTo(0xA5108000L);
        assertThat(block.delaySinceLastSenderReport()).isEqualTo(0x18000L);
    }

    @Test
    void writesTheSameSenderReport() {
        byte[] out = new byte[100];
        ReportWriter writer = new ReportWriter();
        writer.beginSenderReport(out, 3, 0x11223344, 0xE8D4A510_80000000L, 90_000, 1000, 1_000_000);
        assertThat(writer.addReportBlock(0x55667788, 64, -2, 65536 + 5, 300, 0xA5108000L, 0x18000L)).isTrue();
        int n = writer.finish();
        assertThat(n).isEqualTo(52);
        assertThat(Arrays.copyOfRange(out, 3, 3 + n)).isEqualTo(RtcpSamples.SENDER_REPORT);
    }

    @Test
    void readsReceiverReport() {
        ReceiverReport rr = new ReceiverReport();
        assertThat(rr.wrap(RtcpSamples.RECEIVER_REPORT, 0, RtcpSamples.RECEIVER_REPORT.length)).isTrue();
        assertThat(rr.senderSsrc()).isEqualTo(0x0A0B0C0D);
        assertThat(rr.reportCount()).isEqualTo(1);
        rr.reportBlock(0, block);
        assertThat(block.ssrc()).isEqualTo(0x11223344);
        assertThat(block.fractionLost()).isEqualTo(255);
        assertThat(block.cumulativeLost()).isEqualTo(0x7FFFFF);
        assertThat(block.extendedHighestSequenceNumber()).isEqualTo(0xFFFF);
        assertThat(new SenderReport().wrap(RtcpSamples.RECEIVER_REPORT, 0, 32)).as("an RR is not an SR").isFalse();
    }

    @Test
    void writesReceiverReportAndClampsCumulativeLost() {
        byte[] out = new byte[32];
        ReportWriter writer = new ReportWriter().beginReceiverReport(out, 0, 0x0A0B0C0D);
        writer.addReportBlock(0x11223344, 255, 50_000_000, 0xFFFF, 0, 0, 0);
        assertThat(writer.finish()).isEqualTo(32);
        assertThat(out).isEqualTo(RtcpSamples.RECEIVER_REPORT);

        writer.beginReceiverReport(out, 0, 1).addReportBlock(2, 0, -50_000_000, 0, 0, 0, 0);
        writer.finish();
        assertThat(Arrays.copyOfRange(out, 12, 16)).isEqualTo(Hex.bytes("00 80 00 00"));
    }

    @Test
    void emptyReceiverReport() {
        byte[] out = new byte[8];
        int n = new ReportWriter().beginReceiverReport(out, 0, 0x01020304).finish();
        assertThat(n).isEqualTo(8);
        assertThat(out).isEqualTo(Hex.bytes("80 C9 00 01 | 01 02 03 04"));
    }

    @Test
    void thirtyOneBlocksAtMost() {
        byte[] out = new byte[1000];
        ReportWriter writer = new ReportWriter().beginReceiverReport(out, 0, 7);
        for (int i = 0; i < 31; i++) {
            assertThat(writer.addReportBlock(i, i, i, i, i, i, i)).isTrue();
        }
        assertThat(writer.addReportBlock(99, 0, 0, 0, 0, 0, 0)).isFalse();
        int n = writer.finish();
        assertThat(n).isEqualTo(8 + 31 * 24);
        assertThat(Arrays.copyOfRange(out, 0, 4)).isEqualTo(Hex.bytes("9F C9 00 BB")); // RC 31, 188 words
        ReceiverReport rr = new ReceiverReport();
        assertThat(rr.wrap(out, 0, n)).isTrue();
        assertThat(rr.reportBlock(30, block).ssrc()).isEqualTo(30);
        assertThat(block.cumulativeLost()).isEqualTo(30);
    }

    @Test
    void writerReportsNoRoom() {
        ReportWriter writer = new ReportWriter();
        assertThat(writer.beginSenderReport(new byte[27], 0, 1, 2, 3, 4, 5).finish()).isEqualTo(-1);
        writer.beginReceiverReport(new byte[31], 0, 1);
        assertThat(writer.addReportBlock(1, 0, 0, 0, 0, 0, 0)).isFalse();
        assertThat(writer.finish()).as("still a valid empty RR").isEqualTo(8);
    }

    @Test
    void rewriteSenderReportInPlace() {
        byte[] b = RtcpSamples.SENDER_REPORT.clone();
        SenderReport sr = new SenderReport();
        sr.wrap(b, 0, b.length);
        sr.setSenderSsrc(0xCAFEBABE);
        sr.setRtpTimestamp(0x1_0000_0001L);
        sr.setNtpTimestamp(0x01020304_05060708L);
        sr.setPacketCount(5);
        sr.setOctetCount(6);
        sr.reportBlock(0, block).setSsrc(0x01010101);
        assertThat(Arrays.copyOfRange(b, 0, 32)).isEqualTo(Hex.bytes(
                "81 C8 00 0C | CA FE BA BE | 01 02 03 04 | 05 06 07 08 | 00 00 00 01 | 00 00 00 05 | 00 00 00 06"
                + "01 01 01 01"));
        assertThat(Arrays.copyOfRange(b, 32, 52)).isEqualTo(Arrays.copyOfRange(RtcpSamples.SENDER_REPORT, 32, 52));
    }

    @Test
    void rejectsReportsWhoseBlocksDoNotFit() {
        byte[] b = RtcpSamples.SENDER_REPORT.clone();
        b[0] = (byte) 0x82; // RC 2, room for 1
        assertThat(new SenderReport().wrap(b, 0, b.length)).isFalse();
        byte[] rr = RtcpSamples.RECEIVER_REPORT.clone();
        rr[3] = 6; // length 6: 28 bytes, block needs 32
        assertThat(new ReceiverReport().wrap(rr, 0, rr.length)).as("length shorter than RC needs").isFalse();
        assertThat(new ReceiverReport().wrap(RtcpSamples.RECEIVER_REPORT, 0, 31)).as("len cut").isFalse();
    }
}
