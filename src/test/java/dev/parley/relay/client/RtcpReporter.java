package dev.parley.relay.client;

import dev.parley.relay.rtcp.PictureLossIndication;
import dev.parley.relay.rtcp.ReportWriter;
import dev.parley.relay.rtcp.SourceDescription;
import dev.parley.relay.rtp.RtpReceiveStatistics;
import dev.parley.relay.srtp.PacketBuffer;
import java.util.List;

/**
 * Writes this endpoint's RTCP (RFC 3550 section 6.4, RFC 4585): every interval an SR per sending SSRC, an RR with a
 * block per remote SSRC (31 at most per RR, further RRs in further datagrams) and an SDES CNAME; on demand a PLI.
 * Each datagram goes to the sink, which protects it with SRTCP and sends it.
 *
 * <p>Called from the timer thread and from callers of {@link WebRtcEndpoint#requestKeyframe}; it serialises on
 * itself. The receive statistics it reads are updated by the receive thread: a report may mix values of neighbouring
 * packets, which RTCP tolerates.
 */
final class RtcpReporter {

    interface Sink {
        void sendRtcp(PacketBuffer packet);
    }

    /** 2208988800: seconds from 1900 (NTP era 0) to 1970. */
    static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final int MAX_BLOCKS = 31;

    private final byte[] cname;
    private final int receiverSsrc;
    private final ReportWriter writer = new ReportWriter();
    private final PacketBuffer packet = PacketBuffer.forPackets(1400);
    private long reportsSent;

    RtcpReporter(byte[] cname, int receiverSsrc) {
        this.cname = cname;
        this.receiverSsrc = receiverSsrc;
    }

    /**
     * @param nowNanos   System.nanoTime(), for the senders' RTP clocks
     * @param wallMillis System.currentTimeMillis(), for the SR's NTP timestamp
     * @param monotonicMillis the clock {@link InboundStream#onSenderReport} was fed with, for DLSR
     */
    synchronized void report(List<OutboundStream> senders, List<InboundStream> sources, long nowNanos,
            long wallMillis, long monotonicMillis, Sink sink) {
        int reporter = receiverSsrc;
        for (OutboundStream s : senders) {
            if (s.isActive()) {
                reporter = s.ssrc();
                break;
            }
        }
        byte[] buf = packet.buffer();
        int pos = 0;
        long ntp = ntpTimestamp(wallMillis);
        for (OutboundStream s : senders) {
            if (s.isActive() && s.packetsSent() > 0) {
                writer.beginSenderReport(buf, pos, s.ssrc(), ntp, s.rtpTimestampAt(nowNanos), s.packetsSent(),
                        s.octetsSent());
                pos += writer.finish();
            }
        }
        int next = 0;
        do {
            writer.beginReceiverReport(buf, pos, reporter);
            while (next < sources.size() && writer.reportCount() < MAX_BLOCKS) {
                RtpReceiveStatistics stats = sources.get(next++).statistics();
                if (stats.isValid()) {
                    writer.addReportBlock(stats.ssrc(), stats.closeInterval(), stats.cumulativeLost(),
                            stats.extendedHighestSequenceNumber(), stats.jitter(), stats.lastSenderReport(),
                            stats.delaySinceLastSenderReport(monotonicMillis));
                }
            }
            if (writer.reportCount() > 0 || pos == 0) {
                pos += writer.finish();
            }
            pos += SourceDescription.writeCname(buf, pos, reporter, cname);
            packet.set(0, pos);
            sink.sendRtcp(packet);
            reportsSent++;
            pos = 0;
        } while (next < sources.size());
    }

    /** Sends a PLI asking the sender of {@code mediaSsrc} for a key frame. */
    synchronized void pictureLoss(int senderSsrc, int mediaSsrc, Sink sink) {
        int length = PictureLossIndication.write(packet.buffer(), 0, senderSsrc, mediaSsrc);
        packet.set(0, length);
        sink.sendRtcp(packet);
    }

    int receiverSsrc() {
        return receiverSsrc;
    }

    synchronized long reportsSent() {
        return reportsSent;
    }

    /** The 64-bit NTP timestamp (RFC 5905) of a Unix time in milliseconds. */
    static long ntpTimestamp(long unixMillis) {
        long seconds = unixMillis / 1000 + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((unixMillis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }
}
