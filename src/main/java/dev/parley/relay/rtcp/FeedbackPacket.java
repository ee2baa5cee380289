package dev.parley.relay.rtcp;

/**
 * Any RTPFB (205) or PSFB (206) message, whatever its FMT: enough to route it by media SSRC, recognise its kind, and
 * rewrite its SSRCs. Transport-wide congestion control feedback (RTPFB FMT 15) is recognised here and decoded by
 * {@link TransportFeedback}.
 */
public final class FeedbackPacket extends FeedbackMessage {

    public boolean wrap(byte[] buf, int off, int len) {
        return wrapFeedback(buf, off, len, RtcpHeader.RTPFB, -1) || wrapFeedback(buf, off, len, RtcpHeader.PSFB, -1);
    }

    public boolean isGenericNack() {
        return packetType() == RtcpHeader.RTPFB && fmt() == RtcpHeader.FMT_GENERIC_NACK;
    }

    public boolean isTransportCc() {
        return packetType() == RtcpHeader.RTPFB && fmt() == RtcpHeader.FMT_TRANSPORT_CC;
    }

    public boolean isPictureLossIndication() {
        return packetType() == RtcpHeader.PSFB && fmt() == RtcpHeader.FMT_PLI;
    }

    public boolean isFullIntraRequest() {
        return packetType() == RtcpHeader.PSFB && fmt() == RtcpHeader.FMT_FIR;
    }

    /** PSFB FMT 15 whose FCI starts with the "REMB" identifier. */
    public boolean isRemb() {
        return packetType() == RtcpHeader.PSFB && fmt() == RtcpHeader.FMT_AFB && Remb.hasIdentifier(buf, fciOffset(),
                fciLength());
    }
}
