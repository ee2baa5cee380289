package dev.parley.relay.transport;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.ice.IceConsent;
import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

/**
 * One peer's secure channel to the relay: its ICE consent, the DTLS handshake and SRTP in both directions. Decrypted
 * packets go up to a {@link TransportHandler}; what to do with them is the router's business. Every method runs on
 * the relay loop thread, except where stated.
 */
public final class WebRtcTransport implements Transport {

    private static final int MAX_PENDING_DTLS = 16;
    /**
     * SSRCs the relay may send a participant on: two for each video it forwards (media and RTX), one for each audio,
     * in a room of up to 500; a consumer's are forgotten when it ends ({@link #forgetSendSsrc}). The receive side
     * keeps {@link SrtpSession#DEFAULT_MAX_SSRCS}: that is what a peer could make the relay hold.
     */
    static final int MAX_SEND_SSRCS = 2048;

    private final String id;
    private final TransportHost host;
    private final TrafficCounters counters;
    private final IceConsent ice;
    private TransportHandler handler;

    private List<DtlsFingerprint> remoteFingerprints;
    private DtlsSession dtls;
    private final ArrayDeque<byte[]> pendingDtls = new ArrayDeque<>();
    private SrtpSession srtp;
    private boolean connected;
    private volatile boolean closed; // also read by DTLS pool threads before they send a record

    /**
     * @param consentTimeoutNanos how long to wait for the first ICE check, and for each next one (RFC 7675)
     */
    public WebRtcTransport(String id, TransportHost host, IceCredentials localIce, long nowNanos,
                           long consentTimeoutNanos) {
        this.id = id;
        this.host = host;
        this.counters = new TrafficCounters(host.context().relayCounters());
        this.ice = new IceConsent(localIce, counters, address -> host.mapAddress(address, this), nowNanos,
                consentTimeoutNanos);
    }

    /** Who receives this transport's media and events; set once, before the first packet can arrive. */
    public void setHandler(TransportHandler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("the transport already has a handler");
        }
        this.handler = handler;
    }

    // ---------------------------------------------------------------- DTLS

    public void onDtls(byte[] buf, int off, int len) {
        if (closed) {
            counters.dropped(DropReason.DTLS_REJECTED);
            return;
        }
        if (dtls == null) {
            if (remoteFingerprints == null) {
                if (pendingDtls.size() >= MAX_PENDING_DTLS) {
                    counters.dropped(DropReason.DTLS_REJECTED);
                    return;
                }
                byte[] copy = new byte[len];
                System.arraycopy(buf, off, copy, 0, len);
                pendingDtls.add(copy);
                return;
            }
            startDtls();
        }
        if (!dtls.onDatagram(buf, off, len)) {
            counters.dropped(DropReason.DTLS_REJECTED);
        }
    }

    private void startDtls() {
        dtls = host.newDtlsSession(this, remoteFingerprints, new DtlsSession.Listener() {
            @Override
            public void onHandshakeComplete(SrtpKeyingMaterial keys) {
                host.execute(() -> onSrtpKeys(keys));
            }

            @Override
            public void onClosed(String reason) {
                host.execute(() -> close("dtls: " + reason));
            }
        });
        while (!pendingDtls.isEmpty()) {
            byte[] datagram = pendingDtls.poll();
            dtls.onDatagram(datagram, 0, datagram.length);
        }
    }

    /** The handshake finished with these keys (public for benchmarks that skip the handshake). */
    public void onSrtpKeys(SrtpKeyingMaterial keys) {
        if (closed) {
            keys.wipe();
            return;
        }
        srtp = new SrtpSession(keys, SrtpSession.DEFAULT_MAX_SSRCS, MAX_SEND_SSRCS);
        keys.wipe();
        connected = true;
        handler.onConnected(host.context());
    }

    /**
     * The relay sends nothing more on this SSRC (its consumer ended): its SRTP and SRTCP contexts go, so that a long
     * meeting's comings and goings do not fill the session. SSRCs the relay sends on are never used again.
     */
    public void forgetSendSsrc(int ssrc) {
        if (srtp != null && ssrc != 0) {
            srtp.removeSsrc(ssrc);
        }
    }

    /** What the client's SDP says about its side of ICE and DTLS; the first values stay. */
    public void setRemoteParameters(String ufrag, List<DtlsFingerprint> fingerprints) {
        ice.setRemoteUfrag(ufrag);
        if (remoteFingerprints == null && fingerprints != null && !fingerprints.isEmpty()) {
            remoteFingerprints = List.copyOf(fingerprints);
            if (!pendingDtls.isEmpty() && dtls == null) {
                startDtls();
            }
        }
    }

    // ---------------------------------------------------------------- media in

    /** SRTP from {@code from} (an address that passed an ICE check). */
    public void onSrtp(byte[] buf, int off, int len, InetSocketAddress from, LoopContext ctx) {
        PacketBuffer in = unprotect(buf, off, len, false, from, ctx);
        if (in == null) {
            return;
        }
        RtpPacket rtp = ctx.rtp;
        if (!rtp.wrap(in.buffer(), in.offset(), in.length())) {
            counters.dropped(DropReason.MALFORMED_RTP);
            return;
        }
        handler.onRtp(in, rtp, ctx);
    }

    /** SRTCP from {@code from} (an address that passed an ICE check). */
    public void onSrtcp(byte[] buf, int off, int len, InetSocketAddress from, LoopContext ctx) {
        PacketBuffer in = unprotect(buf, off, len, true, from, ctx);
        if (in == null) {
            return;
        }
        RtcpCompoundIterator packets = ctx.rtcp;
        packets.reset(in.buffer(), in.offset(), in.length());
        while (packets.next()) {
            handler.onRtcp(in.buffer(), packets.offset(), packets.length(), packets.packetType(), ctx);
        }
        if (packets.status() != RtcpCompoundIterator.Status.END) {
            counters.dropped(DropReason.MALFORMED_RTCP);
        }
    }

    /**
     * Counts the datagram and decrypts it in place; null (and the drop counted) when it cannot be used. Authenticated
     * SRTP or SRTCP from the selected address also keeps consent alive (see {@link IceConsent#onAuthenticatedMedia}).
     */
    private PacketBuffer unprotect(byte[] buf, int off, int len, boolean rtcp, InetSocketAddress from,
                                   LoopContext ctx) {
        counters.received(len);
        if (srtp == null || closed) {
            counters.dropped(DropReason.NOT_CONNECTED);
            return null;
        }
        PacketBuffer in = ctx.inbound;
        in.wrap(buf, off, len);
        SrtpStatus status = rtcp ? srtp.unprotectRtcp(in) : srtp.unprotectRtp(in);
        if (status != SrtpStatus.OK) {
            counters.dropped(dropReasonOf(status));
            return null;
        }
        ice.onAuthenticatedMedia(from, ctx.nowNanos);
        return in;
    }

    private static DropReason dropReasonOf(SrtpStatus status) {
        return switch (status) {
            case AUTH_FAIL -> DropReason.SRTP_AUTH;
            case REPLAY, REPLAY_OLD -> DropReason.SRTP_REPLAY;
            default -> DropReason.SRTP_OTHER;
        };
    }

    // ---------------------------------------------------------------- media out

    /** Protects and sends an RTP packet prepared in {@code out}; returns whether it left the socket. */
    @Override
    public boolean sendRtp(PacketBuffer out, LoopContext ctx) {
        InetSocketAddress to = ice.selectedAddress();
        if (srtp == null || to == null || closed) {
            return false;
        }
        if (srtp.protectRtp(out) != SrtpStatus.OK) {
            counters.dropped(DropReason.SRTP_OTHER);
            return false;
        }
        return transmit(out, to, ctx);
    }

    /** Protects and sends an RTCP packet prepared in {@code out}. */
    @Override
    public boolean sendRtcp(PacketBuffer out, LoopContext ctx) {
        InetSocketAddress to = ice.selectedAddress();
        if (srtp == null || to == null || closed) {
            return false;
        }
        if (srtp.protectRtcp(out) != SrtpStatus.OK) {
            counters.dropped(DropReason.SRTP_OTHER);
            return false;
        }
        return transmit(out, to, ctx);
    }

    private boolean transmit(PacketBuffer out, InetSocketAddress to, LoopContext ctx) {
        if (ctx.sender.send(out.buffer(), out.offset(), out.length(), to)) {
            counters.sent(out.length());
            return true;
        }
        counters.dropped(DropReason.SEND_FAILED);
        return false;
    }

    // ---------------------------------------------------------------- periodic work and closing

    /** Runs every few tens of milliseconds on the loop: ICE timeouts, then the handler's periodic work. */
    public void tick(LoopContext ctx) {
        String expiry = ice.expiry(ctx.nowNanos);
        if (expiry != null) {
            close(expiry);
            return;
        }
        handler.onTick(ctx);
    }

    /** Closes the DTLS and SRTP sessions and tells the handler; idempotent. */
    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        connected = false;
        ice.close();
        if (dtls != null) {
            dtls.close();
        }
        if (srtp != null) {
            srtp.close();
        }
        pendingDtls.clear();
        handler.onClosed(reason);
    }

    // ---------------------------------------------------------------- accessors

    @Override
    public String id() {
        return id;
    }

    public IceConsent ice() {
        return ice;
    }

    public IceCredentials localIce() {
        return ice.localCredentials();
    }

    @Override
    public TrafficCounters counters() {
        return counters;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Where media goes; readable from any thread. */
    @Override
    public InetSocketAddress selectedAddress() {
        return ice.selectedAddress();
    }

    public Set<InetSocketAddress> validatedAddresses() {
        return ice.validatedAddresses();
    }

    @Override
    public String srtpProfile() {
        return srtp == null ? null : srtp.profile().name();
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + "]";
    }
}
