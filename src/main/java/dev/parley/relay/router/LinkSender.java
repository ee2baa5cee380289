package dev.parley.relay.router;

import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.transport.LinkTransport;
import dev.parley.relay.transport.LoopContext;

/**
 * One of this relay's tracks as one relay link carries it: every layer, each packet as the producer normalised it
 * (canonical payload type and extension ids, the publisher's SSRCs and sequence numbers), under a track number the
 * link gave it. No layer choice, rewriting or bandwidth estimation: the far relay does those for its own subscribers.
 * Loop thread only.
 */
public final class LinkSender {

    /** A sender report's header, sender SSRC and sender info (RFC 3550 6.4.1). */
    private static final int SENDER_INFO = 28;

    private final Producer producer;
    private final Link link;
    private final int track;

    LinkSender(Producer producer, Link link, int track) {
        this.producer = producer;
        this.link = link;
        this.track = track;
    }

    void send(Layer layer, byte[] packet, int off, int len, LoopContext ctx) {
        // A packet from the cache may be a repair, which kept the RTX SSRC: the far relay knows the layer's own.
        link.transport().sendMedia(track, layer.index(), layer.ssrc(), packet, off, len, ctx);
    }

    /** The publisher's sender report for a layer, without its report blocks (they are about this relay's streams). */
    void sendSenderReport(byte[] buf, int off, LoopContext ctx) {
        PacketBuffer out = ctx.control();
        byte[] b = out.buffer();
        System.arraycopy(buf, off, b, 0, SENDER_INFO);
        b[0] = (byte) 0x80;
        b[1] = (byte) RtcpHeader.SR;
        b[2] = 0;
        b[3] = SENDER_INFO / 4 - 1;
        out.set(0, SENDER_INFO);
        link.transport().sendRtcp(out, ctx);
    }

    void onProducerClosed() {
        link.onSentProducerClosed(this);
    }

    LinkTransport transport() {
        return link.transport();
    }

    /** The number the far relay knows the track by. */
    public int track() {
        return track;
    }

    public Producer producer() {
        return producer;
    }
}
