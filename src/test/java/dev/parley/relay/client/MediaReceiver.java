package dev.parley.relay.client;

import dev.parley.relay.rtcp.FeedbackPacket;
import dev.parley.relay.rtcp.FullIntraRequest;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.Goodbye;
import dev.parley.relay.rtcp.ReceiverReport;
import dev.parley.relay.rtcp.ReportBlock;
import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.util.CopyOnWriteIntMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * The receive path after SRTP: accounts RTP per remote SSRC and acts on RTCP (PLI and FIR ask our video for a key
 * frame; SRs feed the receive statistics; RR blocks and NACKs about our streams are recorded).
 *
 * <p>Runs on the endpoint's receive thread only. Allocation-free per packet; a new SSRC costs one
 * {@link InboundStream}. Never throws on packet content.
 */
final class MediaReceiver {

    /** More remote SSRCs than this are not tracked (a subscriber in a large room needs two per participant). */
    static final int MAX_STREAMS = 4096;

    private final CopyOnWriteIntMap<InboundStream> streams = new CopyOnWriteIntMap<>();
    private final List<InboundStream> ordered = new CopyOnWriteArrayList<>();
    private final IntFunction<OutboundStream> outbound;
    private final LatencyHistogram latency;
    private final MediaListener listener;
    private volatile ReceiveRouting routing = ReceiveRouting.EMPTY;

    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final ReportBlock block = new ReportBlock();
    private final FeedbackPacket feedback = new FeedbackPacket();
    private final FullIntraRequest fir = new FullIntraRequest();
    private final GenericNack nack = new GenericNack();
    private final Goodbye goodbye = new Goodbye();

    private volatile long rtpMalformed;
    private volatile long streamsRefused;
    private volatile long rtcpMalformed;
    private volatile long senderReports;
    private volatile long receiverReports;
    private volatile long pictureLossIndications;
    private volatile long fullIntraRequests;
    private volatile long nacks;
    private volatile long goodbyes;

    MediaReceiver(IntFunction<OutboundStream> outbound, LatencyHistogram latency, MediaListener listener) {
        this.outbound = outbound;
        this.latency = latency;
        this.listener = listener;
    }

    /** Installs the routing of a new negotiation and gives known SSRCs the mids it announces. */
    void setRouting(ReceiveRouting next) {
        routing = next;
        for (InboundStream stream : ordered) {
            String mid = next.announcedMid(stream.ssrc());
            if (mid != null) {
                stream.assignMid(mid);
            }
        }
    }

    /** One decrypted RTP packet. */
    void onRtp(byte[] buf, int off, int len, long nowNanos) {
        if (!rtp.wrap(buf, off, len)) {
            rtpMalformed = rtpMalformed + 1;
            return;
        }
        ReceiveRouting r = routing;
        int ssrc = rtp.ssrc();
        InboundStream stream = streams.get(ssrc);
        if (stream == null) {
            if (streams.size() >= MAX_STREAMS) {
                streamsRefused = streamsRefused + 1;
                return;
            }
            String mid = r.announcedMid(ssrc);
            stream = new InboundStream(ssrc, mid != null ? mid : r.midFromExtension(rtp), nowNanos);
            streams.put(ssrc, stream);
            ordered.add(stream);
        } else if (stream.mid() == null) {
            String mid = r.midFromExtension(rtp);
            if (mid != null) {
                stream.assignMid(mid);
            }
        }
        stream.onPacket(rtp, nowNanos, r.kindOf(rtp.payloadType()), latency, listener);
    }

    /** One decrypted (compound or reduced-size) RTCP packet. */
    void onRtcp(byte[] buf, int off, int len, long nowMillis) {
        rtcp.reset(buf, off, len);
        while (rtcp.next()) {
            int at = rtcp.offset();
            int size = rtcp.length();
            switch (rtcp.packetType()) {
                case RtcpHeader.SR -> {
                    if (senderReport.wrap(buf, at, size)) {
                        senderReports = senderReports + 1;
                        InboundStream stream = streams.get(senderReport.senderSsrc());
                        if (stream != null) {
                            stream.onSenderReport(senderReport.ntpTimestamp(), nowMillis);
                        }
                        for (int i = 0; i < senderReport.reportCount(); i++) {
                            onReportBlock(senderReport.reportBlock(i, block));
                        }
                    }
                }
                case RtcpHeader.RR -> {
                    if (receiverReport.wrap(buf, at, size)) {
                        receiverReports = receiverReports + 1;
                        for (int i = 0; i < receiverReport.reportCount(); i++) {
                            onReportBlock(receiverReport.reportBlock(i, block));
                        }
                    }
                }
                case RtcpHeader.PSFB, RtcpHeader.RTPFB -> onFeedback(buf, at, size);
                case RtcpHeader.BYE -> {
                    if (goodbye.wrap(buf, at, size)) {
                        goodbyes = goodbyes + 1;
                        for (int i = 0; i < goodbye.sourceCount(); i++) {
                            InboundStream stream = streams.get(goodbye.ssrc(i));
                            if (stream != null) {
                                stream.onGoodbye();
                            }
                        }
                    }
                }
                default -> {
                    // SDES, APP: nothing to do
                }
            }
        }
        if (rtcp.status() != RtcpCompoundIterator.Status.END) {
            rtcpMalformed = rtcpMalformed + 1;
        }
    }

    private void onFeedback(byte[] buf, int at, int size) {
        if (!feedback.wrap(buf, at, size)) {
            return;
        }
        if (feedback.isPictureLossIndication()) {
            pictureLossIndications = pictureLossIndications + 1;
            OutboundStream stream = outbound.apply(feedback.mediaSsrc());
            if (stream != null) {
                stream.requestKeyframe();
            }
        } else if (feedback.isFullIntraRequest() && fir.wrap(buf, at, size)) {
            fullIntraRequests = fullIntraRequests + 1;
            for (int i = 0; i < fir.entryCount(); i++) {
                OutboundStream stream = outbound.apply(fir.entrySsrc(i));
                if (stream != null) {
                    stream.requestKeyframe();
                }
            }
        } else if (feedback.isGenericNack() && nack.wrap(buf, at, size)) {
            nacks = nacks + 1;
            OutboundStream stream = outbound.apply(nack.mediaSsrc());
            if (stream != null) {
                stream.onNack(nack.lostCount());
            }
        }
    }

    private void onReportBlock(ReportBlock reportBlock) {
        OutboundStream stream = outbound.apply(reportBlock.ssrc());
        if (stream != null) {
            stream.onReportBlock(reportBlock.fractionLost(), reportBlock.cumulativeLost(), reportBlock.jitter());
        }
    }

    InboundStream stream(int ssrc) {
        return streams.get(ssrc);
    }

    /** In order of first packet. */
    List<InboundStream> streams() {
        return List.copyOf(ordered);
    }

    long rtpMalformed() {
        return rtpMalformed;
    }

    long streamsRefused() {
        return streamsRefused;
    }

    long rtcpMalformed() {
        return rtcpMalformed;
    }

    long senderReports() {
        return senderReports;
    }

    long receiverReports() {
        return receiverReports;
    }

    long pictureLossIndications() {
        return pictureLossIndications;
    }

    long fullIntraRequests() {
        return fullIntraRequests;
    }

    long nacks() {
        return nacks;
    }

    long goodbyes() {
        return goodbyes;
    }
}
