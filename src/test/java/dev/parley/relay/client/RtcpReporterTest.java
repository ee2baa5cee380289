package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtcp.ReceiverReport;
import dev.parley.relay.rtcp.ReportBlock;
import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtcp.SourceDescription;
import dev.parley.relay.rtp.RtpHeaderWriter;
import dev.parley.relay.rtp.RtpPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpReporterTest {

    @Test
    void ntpTimestampOfUnixTime() {
        assertThat(RtcpReporter.ntpTimestamp(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(RtcpReporter.ntpTimestamp(1_500)).isEqualTo(((2_208_988_800L + 1) << 32) | 0x8000_0000L);
    }

    @Test
    void sendersGetSrsAndEverySourceABlockSplitAtThirtyOne() {
        RtpTransmitter accept = (packet, view) -> true;
        OutboundStream audio = new OutboundStream("0", MediaKind.AUDIO, 0x0A, 111, 1, 1100, accept);
        OutboundStream video = new OutboundStream("1", MediaKind.VIDEO, 0x0B, 96, 1, 1100, accept);
        for (int i = 0; i < 3; i++) {
            audio.sendAudio(100);
        }
        video.sendVideoFrame(2000, true);

        List<InboundStream> sources = new ArrayList<>();
        RtpPacket rtp = new RtpPacket();
        byte[] packet = new byte[64];
        for (int s = 0; s < 40; s++) {
            InboundStream stream = new InboundStream(1000 + s, null, 0);
            for (int seq = 0; seq < 3; seq++) {
                int n = RtpHeaderWriter.writeFixedHeader(packet, 0, 111, false, seq, seq * 960L, 1000 + s);
                rtp.wrap(packet, 0, n + 20);
                stream.onPacket(rtp, seq * 20_000_000L, MediaKind.AUDIO, null, null);
            }
            sources.add(stream);
        }
        sources.add(new InboundStream(5000, null, 0)); // heard nothing valid yet: no block

        RtcpReporter reporter = new RtcpReporter("me".getBytes(StandardCharsets.UTF_8), 0x77);
        List<byte[]> datagrams = new ArrayList<>();
        reporter.report(List.of(audio, video), sources, System.nanoTime(), 1_000, 0,
                p -> datagrams.add(Arrays.copyOfRange(p.buffer(), p.offset(), p.offset() + p.length())));

        assertThat(datagrams).hasSize(2);
        List<Integer> types = new ArrayList<>();
        List<Integer> blocks = new ArrayList<>();
        SenderReport sr = new SenderReport();
        ReceiverReport rr = new ReceiverReport();
        SourceDescription sdes = new SourceDescription();
        for (byte[] d : datagrams) {
            RtcpCompoundIterator it = new RtcpCompoundIterator();
            it.reset(d, 0, d.length);
            while (it.next()) {
                types.add(it.packetType());
                if (it.packetType() == RtcpHeader.SR) {
                    assertThat(sr.wrap(d, it.offset(), it.length())).isTrue();
                    assertThat(sr.ntpTimestamp()).isEqualTo(RtcpReporter.ntpTimestamp(1_000));
                    OutboundStream s = sr.senderSsrc() == 0x0A ? audio : video;
                    assertThat(sr.packetCount()).isEqualTo(s.packetsSent());
                    assertThat(sr.octetCount()).isEqualTo(s.octetsSent());
                }
                if (it.packetType() == RtcpHeader.RR) {
                    assertThat(rr.wrap(d, it.offset(), it.length())).isTrue();
                    assertThat(rr.senderSsrc()).isEqualTo(0x0A);
                    blocks.add(rr.reportCount());
                    ReportBlock block = rr.reportBlock(0, new ReportBlock());
                    assertThat(block.extendedHighestSequenceNumber()).isEqualTo(2);
                    assertThat(block.cumulativeLost()).isZero();
                }
                if (it.packetType() == RtcpHeader.SDES) {
                    assertThat(sdes.wrap(d, it.offset(), it.length())).isTrue();
                    assertThat(sdes.cname(0x0A)).isEqualTo("me");
                }
            }
            assertThat(it.status()).isEqualTo(RtcpCompoundIterator.Status.END);
        }
        assertThat(types).containsExactly(RtcpHeader.SR, RtcpHeader.SR, RtcpHeader.RR, RtcpHeader.SDES,
                RtcpHeader.RR, RtcpHeader.SDES);
        assertThat(blocks).containsExactly(31, 9);
        assertThat(datagrams.get(0).length).isLessThan(1200);
    }

    @Test
    void aReceiveOnlyEndpointReportsFromItsOwnSsrc() {
        RtcpReporter reporter = new RtcpReporter("me".getBytes(StandardCharsets.UTF_8), 0x77);
        List<byte[]> datagrams = new ArrayList<>();
        reporter.report(List.of(), List.of(), 0, 0, 0,
                p -> datagrams.add(Arrays.copyOfRange(p.buffer(), p.offset(), p.offset() + p.length())));
        assertThat(datagrams).hasSize(1);
        ReceiverReport rr = new ReceiverReport();
        assertThat(rr.wrap(datagrams.get(0), 0, datagrams.get(0).length)).isTrue();
        assertThat(rr.senderSsrc()).isEqualTo(0x77);
        assertThat(rr.reportCount()).isZero();
    }
}
