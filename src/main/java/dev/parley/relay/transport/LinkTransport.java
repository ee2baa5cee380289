package dev.parley.relay.transport;

import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.util.Bytes;
import java.net.InetSocketAddress;

/**
 * One room's relay link to another Parley relay: RTP and RTCP over the media socket, protected with SRTP (keys agreed
 * through the nodes' control plane) or, on a private network between nodes, plain (the cascading of
 * docs/scaling.md). Each datagram carries a 12-byte link header before the packet:
 *
 * <pre>
 *  0: type, {@link #RTP} or {@link #RTCP}   1: simulcast layer (RTP)   2-3: zero
 *  4-7: the receiving relay's tag for this link
 *  8-11: the sending relay's track number (RTP)
 * </pre>
 *
 * The type bytes lie in 4..15, which RFC 7983 and RFC 9443 leave to no protocol, so a link datagram can share the port
 * with STUN, DTLS and SRTP. The tag names the room's link on the receiving relay; the track number and layer name the
 * stream. A layer's packets cross under an SSRC made of the two ({@link #ssrc}), not the publisher's: track numbers
 * are never reused on a link, so neither is an SSRC, and a secure link can forget a track's SRTP context when the track
 * ends (a browser-chosen SSRC could come back, and its context with it, reusing a GCM nonce). It also ties the
 * unprotected header to the authenticated packet: a datagram whose SSRC is not its header's is dropped before SRTP.
 * On a secure link, RTCP is taken only from {@link #RTCP_SSRC} or a track's SSRC the link takes (a sender report), so
 * a late report of an ended track makes no context either. A datagram is taken only from the address the link was
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
    /** The SSRCs a secure link has at once at most, each way: every layer of every track of a large meeting's node. */
    private static final int MAX_SSRCS = 4096;
    /** The bits of a link SSRC that carry the layer's index (up to four layers). */
    private static final int LAYER_BITS = 2;
    /** The highest track number a link carries: the track's SSRCs take the number and the layer's index. */
    public static final int MAX_TRACK = (1 << (32 - LAYER_BITS)) - 1;
    /** The smallest datagram carrying RTP: the header and a fixed RTP header (RFC 3550 5.1). */
    private static final int MIN_RTP = HEADER + 12;
    /**
     * The SSRC of a link endpoint's own RTCP (its key-frame requests and NACKs): the layer index no track has, of no
     * track, so that it is never a track's.
     */
    public static final int RTCP_SSRC = 3;

    private final String id;
    private final int localTag;
    private final TrafficCounters counters;
    private final byte[] scratch = new byte[LoopContext.MAX_PACKET];
    /** Views the scratch array's packet, after the header, for SRTP to protect in place. */
    private final PacketBuffer outgoing = new PacketBuffer(scratch, HEADER, 0);
    private LinkHandler handler;
    private volatile InetSocketAddress remote;
    private int remoteTag;
    /** For a secure link, SRTP both ways; null for a plain one. */
    private SrtpSession srtp;
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
        connect(address, tag, null, ctx);
    }

    /**
     * Connects as above; with {@code keys}, the link is secure from now on: SRTP protects every packet after the
     * header, and what is not protected with the far side's key is dropped. The keys are wiped once used.
     */
    public void connect(InetSocketAddress address, int tag, SrtpKeyingMaterial keys, LoopContext ctx) {
        if (closed) {
            if (keys != null) {
                keys.wipe();
            }
            return;
        }
        if (keys != null) {
            if (srtp != null) {
                srtp.close();
            }
            srtp = new SrtpSession(keys, MAX_SSRCS);
            keys.wipe();
        }
        boolean first = remote == null;
        remote = address;
        remoteTag = tag;
        if (first) {
            handler.onConnected(ctx);
        }
    }

    /** The SSRC under which layer {@code layer} of track {@code track} crosses a link; never 0 for a valid track. */
    public static int ssrc(int track, int layer) {
        return track << LAYER_BITS | layer;
    }

    /** The track number a link SSRC names. */
    public static int track(int ssrc) {
        return ssrc >>> LAYER_BITS;
    }

    /** The layer's index a link SSRC names. */
    public static int layer(int ssrc) {
        return ssrc & ((1 << LAYER_BITS) - 1);
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
        if (type != RTP && type != RTCP) {
            counters.dropped(DropReason.LINK_REJECTED);
            return;
        }
        int track = Bytes.int32(buf, off + 8);
        int layer = buf[off + 1] & 0xFF;
        if (type == RTCP && srtp != null) {
            int sender = len >= HEADER + 8 ? Bytes.int32(buf, off + HEADER + 4) : 0;
            if (sender != RTCP_SSRC && !handler.receives(track(sender), layer(sender))) {
                counters.dropped(DropReason.UNKNOWN_SSRC); // before SRTP: it would make a context, for good
                return;
            }
        }
        if (type == RTP) {
            if (len < MIN_RTP) {
                counters.dropped(DropReason.MALFORMED_RTP);
                return;
            }
            // Before SRTP: a packet of no track taken here would otherwise make a context, for good.
            if (track < 1 || track > MAX_TRACK || layer >= 1 << LAYER_BITS
                    || Bytes.int32(buf, off + HEADER + 8) != ssrc(track, layer) || !handler.receives(track, layer)) {
                counters.dropped(DropReason.UNKNOWN_SSRC);
                return;
            }
        }
        PacketBuffer in = ctx.inbound;
        in.wrap(buf, off + HEADER, len - HEADER);
        if (srtp != null) {
            SrtpStatus status = type == RTP ? srtp.unprotectRtp(in) : srtp.unprotectRtcp(in);
            if (status != SrtpStatus.OK) {
                counters.dropped(status == SrtpStatus.AUTH_FAIL ? DropReason.SRTP_AUTH
                        : status == SrtpStatus.REPLAY || status == SrtpStatus.REPLAY_OLD ? DropReason.SRTP_REPLAY
                        : DropReason.SRTP_OTHER);
                return;
            }
        }
        if (type == RTP) {
            RtpPacket rtp = ctx.rtp;
            if (in.length() <= 0 || !rtp.wrap(in.buffer(), in.offset(), in.length())) {
                counters.dropped(DropReason.MALFORMED_RTP);
                return;
            }
            handler.onLinkRtp(track, layer, in, rtp, ctx);
        } else {
            RtcpCompoundIterator packets = ctx.rtcp;
            packets.reset(in.buffer(), in.offset(), in.length());
            while (packets.next()) {
                handler.onRtcp(in.buffer(), packets.offset(), packets.length(), packets.packetType(), ctx);
            }
            if (packets.status() != RtcpCompoundIterator.Status.END) {
                counters.dropped(DropReason.MALFORMED_RTCP);
            }
        }
    }

    /** Sends one RTP packet of a track of this relay's over the link, under the link's SSRC for its layer. */
    public boolean sendMedia(int track, int layer, byte[] packet, int off, int len, LoopContext ctx) {
        if (!writeHeader(RTP, layer, track, len)) {
            return false;
        }
        System.arraycopy(packet, off, scratch, HEADER, len);
        Bytes.putInt32(scratch, HEADER + 8, ssrc(track, layer));
        return protectAndTransmit(false, len, ctx);
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
        return protectAndTransmit(true, len, ctx);
    }

    /**
     * On a secure link, protects the packet in the scratch array in place (a packet sent again, answering a NACK, is
     * protected again as the same bytes under the same index: the far relay, which lost it, takes it).
     */
    private boolean protectAndTransmit(boolean rtcp, int len, LoopContext ctx) {
        if (srtp != null) {
            outgoing.set(HEADER, len);
            if ((rtcp ? srtp.protectRtcp(outgoing) : srtp.protectRtp(outgoing)) != SrtpStatus.OK) {
                counters.dropped(DropReason.SRTP_OTHER);
                return false;
            }
            len = outgoing.length();
        }
        return transmit(HEADER + len, ctx);
    }

    private boolean writeHeader(int type, int layer, int track, int len) {
        if (closed || remote == null) {
            return false;
        }
        // The far relay's socket would cut a longer one (SRTP adds its index and tag).
        if (HEADER + len + PacketBuffer.SRTP_OVERHEAD > LoopContext.MAX_PACKET) {
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

    /** This relay stopped sending a track over the link: a secure link forgets its layers' contexts. */
    public void forgetSent(int track, int layers) {
        if (srtp != null) {
            for (int layer = 0; layer < layers; layer++) {
                srtp.removeSendSsrc(ssrc(track, layer));
            }
        }
    }

    /** The far relay stopped sending a track over the link: a secure link forgets its layers' contexts. */
    public void forgetReceived(int track, int layers) {
        if (srtp != null) {
            for (int layer = 0; layer < layers; layer++) {
                srtp.removeReceiveSsrc(ssrc(track, layer));
            }
        }
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
        if (srtp != null) {
            srtp.close();
        }
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
        SrtpSession session = srtp;
        return session == null ? null : session.profile().name();
    }

    @Override
    public String toString() {
        return "LinkTransport[" + id + "]";
    }
}
