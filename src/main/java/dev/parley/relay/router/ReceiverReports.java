package dev.parley.relay.router;

import dev.parley.relay.rtcp.Remb;
import dev.parley.relay.rtcp.ReportWriter;
import dev.parley.relay.rtcp.SourceDescription;
import dev.parley.relay.rtp.RtpReceiveStatistics;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The RTCP the relay sends a publisher once a second (RFC 3550 §6.4.2): a receiver report block per stream (each
 * simulcast layer is one), its CNAME and a REMB: what its subscribers' tiles need of its video (so no layer nobody
 * watches is encoded), each video track within the configured cap.
 */
final class ReceiverReports {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final int rtcpSsrc;
    private final byte[] cname;
    private final long bitrateCap;
    private long nextNanos;

    ReceiverReports(int rtcpSsrc, String cname, long bitrateCap, long nowNanos) {
        this.rtcpSsrc = rtcpSsrc;
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        this.bitrateCap = bitrateCap;
        this.nextNanos = nowNanos + INTERVAL_NANOS;
    }

    /** Sends the reports when they are due and there is something to report on. */
    void maybeSend(List<Producer> producers, Transport transport, LoopContext ctx) {
        if (ctx.nowNanos() < nextNanos) {
            return;
        }
        nextNanos = ctx.nowNanos() + INTERVAL_NANOS;
        if (producers.isEmpty()) {
            return;
        }
        PacketBuffer out = ctx.control();
        byte[] b = out.buffer();
        ReportWriter writer = ctx.reportWriter().beginReceiverReport(b, 0, rtcpSsrc);
        long nowMillis = ctx.nowNanos() / 1_000_000;
        int videoSsrcs = 0;
        int[] ssrcs = ctx.ssrcScratch();
        long remb = 0;
        for (Producer producer : producers) {
            for (int i = 0; i < producer.layerCount(); i++) {
                Layer layer = producer.layer(i);
                RtpReceiveStatistics stats = layer.statistics();
                if (stats != null && stats.isValid()) {
                    writer.addReportBlock(layer.ssrc(), stats.closeInterval(), stats.cumulativeLost(),
                            stats.extendedHighestSequenceNumber(), stats.jitter(), stats.lastSenderReport(),
                            stats.delaySinceLastSenderReport(nowMillis));
                }
                if (producer.kind() == MediaKind.VIDEO && layer.ssrc() != 0 && videoSsrcs < ssrcs.length) {
                    ssrcs[videoSsrcs++] = layer.ssrc();
                }
            }
            if (producer.kind() == MediaKind.VIDEO) {
                remb += producer.neededBitrate(bitrateCap, ctx.nowNanos());
            }
        }
        int len = writer.finish();
        if (len < 0) {
            return;
        }
        len += SourceDescription.writeCname(b, len, rtcpSsrc, cname);
        if (videoSsrcs > 0) {
            // Each video track's need is within the cap, so a camera and a screen share may together have twice it.
            len += Remb.write(b, len, rtcpSsrc, remb, ssrcs, videoSsrcs);
        }
        out.set(0, len);
        transport.sendRtcp(out, ctx);
    }
}
