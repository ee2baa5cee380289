package dev.parley.relay.transport;

import dev.parley.relay.packet.DatagramSender;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.rtcp.FeedbackPacket;
import dev.parley.relay.rtcp.FullIntraRequest;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.Remb;
import dev.parley.relay.rtcp.ReportWriter;
import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;

/**
 * The relay loop's reusable per-packet objects. Everything on the media path borrows these instead of allocating;
 * they belong to the loop thread and never leave it.
 */
public final class LoopContext {

    /** Room for the largest datagram plus the SRTP tag the relay adds when it protects a copy. */
    public static final int MAX_PACKET = 1500 + PacketBuffer.SRTP_OVERHEAD;

    final PacketBuffer inbound = new PacketBuffer(new byte[0], 0, 0);
    final PacketBuffer outbound = PacketBuffer.forPackets(MAX_PACKET);
    final PacketBuffer control = PacketBuffer.forPackets(MAX_PACKET);
    final RtpPacket rtp = new RtpPacket();
    final RtpPacket outRtp = new RtpPacket();
    final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
    final SenderReport senderReport = new SenderReport();
    final FeedbackPacket feedback = new FeedbackPacket();
    final FullIntraRequest fir = new FullIntraRequest();
    final ReportWriter reportWriter = new ReportWriter();
    final int[] ssrcScratch = new int[64];
    final GenericNack nack = new GenericNack();
    final Remb remb = new Remb();
    final int[] lostScratch = new int[512];
    final int[] missingScratch = new int[512];
    final DatagramSender sender;
    final TrafficCounters relayCounters;
    long nowNanos;

    public LoopContext(DatagramSender sender) {
        this(sender, new TrafficCounters());
    }

    /** @param relayCounters the relay-wide counters, for what is counted per transport and relay-wide alike */
    public LoopContext(DatagramSender sender, TrafficCounters relayCounters) {
        this.sender = sender;
        this.relayCounters = relayCounters;
    }

    public TrafficCounters relayCounters() {
        return relayCounters;
    }

    public long nowNanos() {
        return nowNanos;
    }

    /** The loop sets its clock once per burst of packets, so the packet path never reads the time itself. */
    public void setNowNanos(long nanos) {
        this.nowNanos = nanos;
    }

    /** Scratch buffer for an outgoing copy of a media packet. */
    public PacketBuffer outbound() {
        return outbound;
    }

    /** Scratch buffer for RTCP the relay writes or forwards. */
    public PacketBuffer control() {
        return control;
    }

    /** A view for rewriting the outgoing copy. */
    public RtpPacket outRtp() {
        return outRtp;
    }

    public SenderReport senderReportView() {
        return senderReport;
    }

    public ReportWriter reportWriter() {
        return reportWriter;
    }

    public int[] ssrcScratch() {
        return ssrcScratch;
    }

    /** A view for one RTCP feedback message (PLI, FIR, NACK, REMB). */
    public FeedbackPacket feedback() {
        return feedback;
    }

    public FullIntraRequest fir() {
        return fir;
    }

    public GenericNack nack() {
        return nack;
    }

    public Remb remb() {
        return remb;
    }

    /** Sequence numbers a NACK reports lost. */
    public int[] lostScratch() {
        return lostScratch;
    }

    /** Sequence numbers to ask the publisher for. */
    public int[] missingScratch() {
        return missingScratch;
    }
}
