package dev.parley.relay.router;

import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.transport.LinkTransport;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.util.Bytes;

/**
 * One of this relay's tracks as one relay link carries it: every layer, each packet as the producer normalised it
 * (canonical payload type and extension ids, the publisher's sequence numbers), under a track number the link gave it
 * and the link's SSRC for each layer ({@link LinkTransport#ssrc}). No layer choice, rewriting or bandwidth
 * estimation: the far relay does those for its own subscribers.
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
        link.transport().sendMedia(track, layer.index(), packet, off, len, ctx);
    }

    /**
     * The publisher's sender report for a layer, without its report blocks (they are about this relay's streams), under
     * the layer's link SSRC: on a secure link its SRTCP context (RFC 3711 keys it by the SSRC) ends with the track.
     */
    void sendSenderReport(Layer layer, byte[] buf, int off, LoopContext ctx) {
        PacketBuffer out = ctx.control();
        byte[] b = out.buffer();
        System.arraycopy(buf, off, b, 0, SENDER_INFO);
        b[0] = (byte) 0x80;
        b[1] = (byte) RtcpHeader.SR;
        b[2] = 0;
        b[3] = SENDER_INFO / 4 - 1;
        Bytes.putInt32(b, 4, LinkTransport.ssrc(track, layer.index()));
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
