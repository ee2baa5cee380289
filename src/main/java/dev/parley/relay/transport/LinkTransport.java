package dev.parley.relay.transport;

import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.util.Bytes;
import java.net.InetSocketAddress;

/**
 * One room's relay link to another Parley relay: plain RTP and RTCP over the media socket, for a private network
 * between nodes (the cascading of docs/scaling.md). Each datagram carries a 12-byte link header before the packet:
 *
 * <pre>
 *  0: type, {@link #RTP} or {@link #RTCP}   1: simulcast layer (RTP)   2-3: zero
 *  4-7: the receiving relay's tag for this link
 *  8-11: the sending relay's track number (RTP)
 * </pre>
 *
 * The type bytes lie in 4..15, which RFC 7983 and RFC 9443 leave to no protocol, so a link datagram can share the port
 * with STUN, DTLS and SRTP. The tag names the room's link on the receiving relay; the track number and layer name the
 * stream, so the far relay needs no SSRCs agreed in advance. A datagram is taken only from the address the link was
 * connected to. Nothing here is per-packet allocated: the header and packet are copied into one scratch array, as
 * the socket takes one contiguous datagram. Hand-written because no library speaks a relay-to-relay link; Jitsi's Octo
 * frames RTP the same way. Loop thread only, except {@link #selectedAddress}.
 */
public final class LinkTransport implements Transport {

    public static final int HEADER = 12;
    /** The link header's type of a datagram carrying one RTP packet. */
    public static final int RTP = 8;
    /** The link header's type of a datagram carrying an RTCP (compound) packet. */
    public static final int RTCP = 9;

    private final String id;
    private final int localTag;
    private final TrafficCounters counters;
    private final byte[] scratch = new byte[LoopContext.MAX_PACKET];
    private LinkHandler handler;
    private volatile InetSocketAddress remote;
    private int remoteTag;
    private boolean closed;

    /** @param localTag what the far relay writes in the header to reach this link */
    public LinkTransport(String id, int localTag, LoopContext ctx) {
        this.id = id;
        this.localTag = localTag;
        this.counters = new TrafficCounters(ctx.relayCounters());
    }

    /** Who receives the link's packets; set once, before it is connected. */
    public void setHandler(LinkHandler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("the link already has a handler");
        }
        this.handler = handler;
    }

    /**
     * Points the link at the far relay: its media address and the tag it gave its side of this link. The first call
     * connects it; a later one (the far node's address changed) only re-points it.
     */
    public void connect(InetSocketAddress address, int tag, LoopContext ctx) {
        if (closed) {
            return;
        }
        boolean first = remote == null;
        remote = address;
        remoteTag = tag;
        if (first) {
            handler.onConnected(ctx);
        }
    }

    /** A link datagram whose header names this link's tag, from {@code from}. */
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, LoopContext ctx) {
        counters.received(len);
        InetSocketAddress expected = remote;
        if (closed || expected == null || !expected.equals(from)) {
            counters.dropped(DropReason.LINK_REJECTED);
            return;
        }
        int type = buf[off] & 0xFF;
        if (type == RTP) {
            RtpPacket rtp = ctx.rtp;
            if (len <= HEADER || !rtp.wrap(buf, off + HEADER, len - HEADER)) {
                counters.dropped(DropReason.MALFORMED_RTP);
                return;
            }
            PacketBuffer in = ctx.inbound;
            in.wrap(buf, off + HEADER, len - HEADER);
            handler.onLinkRtp(Bytes.int32(buf, off + 8), buf[off + 1] & 0xFF, in, rtp, ctx);
        } else if (type == RTCP) {
            RtcpCompoundIterator packets = ctx.rtcp;
            packets.reset(buf, off + HEADER, len - HEADER);
            while (packets.next()) {
                handler.onRtcp(buf, packets.offset(), packets.length(), packets.packetType(), ctx);
            }
            if (packets.status() != RtcpCompoundIterator.Status.END) {
                counters.dropped(DropReason.MALFORMED_RTCP);
            }
        } else {
            counters.dropped(DropReason.LINK_REJECTED);
        }
    }

    /** Sends one RTP packet of a track of this relay's over the link, with its layer's SSRC written into it. */
    public boolean sendMedia(int track, int layer, int ssrc, byte[] packet, int off, int len, LoopContext ctx) {
        if (!writeHeader(RTP, layer, track, len)) {
            return false;
        }
        System.arraycopy(packet, off, scratch, HEADER, len);
        Bytes.putInt32(scratch, HEADER + 8, ssrc);
        return transmit(HEADER + len, ctx);
    }

    /** A link carries RTP only as a track's ({@link #sendMedia}): the far relay finds the stream by its number. */
    @Override
    public boolean sendRtp(PacketBuffer out, LoopContext ctx) {
        throw new UnsupportedOperationException("a link sends RTP per track");
    }

    @Override
    public boolean sendRtcp(PacketBuffer out, LoopContext ctx) {
        return sendRtcp(out.buffer(), out.offset(), out.length(), ctx);
    }

    /** Sends RTCP (a packet or a compound) over the link. */
    public boolean sendRtcp(byte[] packet, int off, int len, LoopContext ctx) {
        if (!writeHeader(RTCP, 0, 0, len)) {
            return false;
        }
        System.arraycopy(packet, off, scratch, HEADER, len);
        return transmit(HEADER + len, ctx);
    }

    private boolean writeHeader(int type, int layer, int track, int len) {
        if (closed || remote == null) {
            return false;
        }
        if (HEADER + len > LoopContext.MAX_PACKET) { // the far relay's socket would cut it
            counters.dropped(DropReason.SEND_FAILED);
            return false;
        }
        scratch[0] = (byte) type;
        scratch[1] = (byte) layer;
        scratch[2] = 0;
        scratch[3] = 0;
        Bytes.putInt32(scratch, 4, remoteTag);
        Bytes.putInt32(scratch, 8, track);
        return true;
    }

    private boolean transmit(int len, LoopContext ctx) {
        if (ctx.sender.send(scratch, 0, len, remote)) {
            counters.sent(len);
            return true;
        }
        counters.dropped(DropReason.SEND_FAILED);
        return false;
    }

    /** The loop's tick: a link has no timeouts of its own (the node registry tells when the far node is gone). */
    public void tick(LoopContext ctx) {
        if (!closed) {
            handler.onTick(ctx);
        }
    }

    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        handler.onClosed(reason);
    }

    @Override
    public String id() {
        return id;
    }

    /** What the far relay writes in the header to reach this link. */
    public int localTag() {
        return localTag;
    }

    @Override
    public TrafficCounters counters() {
        return counters;
    }

    @Override
    public boolean isConnected() {
        return remote != null && !closed;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public InetSocketAddress selectedAddress() {
        return remote;
    }

    @Override
    public String srtpProfile() {
        return null;
    }

    @Override
    public String toString() {
        return "LinkTransport[" + id + "]";
    }
}
