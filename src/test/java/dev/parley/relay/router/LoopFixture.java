package dev.parley.relay.router;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.packet.DatagramSender;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.TransportHost;
import dev.parley.relay.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarding core without a socket, a DTLS handshake or a thread: transports whose SRTP keys are set directly, a
 * clock the test moves, tasks run inline, and a {@link DatagramSender} the test chooses (recording, discarding or a
 * real loopback socket). Each transport comes with the client's half of its SRTP keys, so a test can encrypt what the
 * client sends and decrypt what the relay sent it.
 */
public final class LoopFixture implements TransportHost {

    private final LoopContext context;
    private final SrtpProfile profile;
    private final SecureRandom random = new SecureRandom();
    private final Map<WebRtcTransport, SrtpKeyingMaterial> relayKeys = new HashMap<>();
    private int nextPort = 40000;

    public LoopFixture(DatagramSender sender, SrtpProfile profile) {
        this.context = new LoopContext(sender);
        this.profile = profile;
        context.setNowNanos(1_000_000_000L);
    }

    /** A peer of the relay: its transport and endpoint on the relay side, and the client's keys and address. */
    public record Peer(WebRtcTransport transport, Endpoint endpoint, SrtpSession client, InetSocketAddress address) {

        /** Encrypts an RTP packet as this client would send it. */
        public byte[] protect(byte[] rtp) {
            PacketBuffer buffer = PacketBuffer.forPackets(1500);
            buffer.copyFrom(rtp, 0, rtp.length);
            if (client.protectRtp(buffer) != SrtpStatus.OK) {
                throw new IllegalStateException("could not protect");
            }
            byte[] out = new byte[buffer.length()];
            System.arraycopy(buffer.buffer(), buffer.offset(), out, 0, out.length);
            return out;
        }

        /** Encrypts an RTCP compound packet as this client would send it. */
        public byte[] protectRtcp(byte[] rtcp) {
            PacketBuffer buffer = PacketBuffer.forPackets(1500);
            buffer.copyFrom(rtcp, 0, rtcp.length);
            if (client.protectRtcp(buffer) != SrtpStatus.OK) {
                throw new IllegalStateException("could not protect");
            }
            byte[] out = new byte[buffer.length()];
            System.arraycopy(buffer.buffer(), buffer.offset(), out, 0, out.length);
            return out;
        }
    }

    /** A transport that passed ICE and has SRTP keys, with its endpoint in the router (not yet added to it). */
    public Peer connectedPeer(String participantId, Endpoint.Kind kind, Router router, Endpoint.Listener listener) {
        return connectedPeer(participantId, kind, router, listener, new InetSocketAddress("127.0.0.1", nextPort++));
    }

    /** The same, with the client at a chosen address. */
    public Peer connectedPeer(String participantId, Endpoint.Kind kind, Router router, Endpoint.Listener listener,
                              InetSocketAddress address) {
        Peer peer = handshakingPeer(participantId, kind, router, listener, address);
        finishHandshake(peer);
        return peer;
    }

    /** A transport that passed ICE but whose DTLS handshake has not finished; {@link #finishHandshake} ends it. */
    public Peer handshakingPeer(String participantId, Endpoint.Kind kind, Router router, Endpoint.Listener listener,
                                InetSocketAddress address) {
        WebRtcTransport transport = new WebRtcTransport(participantId + "-t", this, IceCredentials.random(),
                context.nowNanos(), 30_000_000_000L);
        Endpoint endpoint = new Endpoint(kind, participantId, transport, router, random.nextInt(), 2_500_000L,
                listener, context.nowNanos());
        transport.ice().onValidCheck(address, true, context.nowNanos());
        byte[] exported = new byte[profile.keyingMaterialLength()];
        random.nextBytes(exported);
        relayKeys.put(transport, SrtpKeyingMaterial.fromDtlsExport(profile, exported, false));
        // A browser decrypts whatever the relay sends it: as many streams as a full room has.
        SrtpSession client = new SrtpSession(SrtpKeyingMaterial.fromDtlsExport(profile, exported, true), 4096);
        return new Peer(transport, endpoint, client, address);
    }

    /** The handshake of a {@link #handshakingPeer} completes: the relay's side gets its SRTP keys. */
    public void finishHandshake(Peer peer) {
        peer.transport().onSrtpKeys(relayKeys.remove(peer.transport()));
    }

    public void advance(long nanos) {
        context.setNowNanos(context.nowNanos() + nanos);
    }

    /** An endpoint listener that ignores everything. */
    public static Endpoint.Listener quiet() {
        return new Endpoint.Listener() {
            @Override
            public void onSectionsChanged() {
            }

            @Override
            public void onConnected() {
            }

            @Override
            public void onClosed(String reason) {
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public LoopContext context() {
        return context;
    }

    @Override
    public void mapAddress(InetSocketAddress address, WebRtcTransport transport) {
    }

    @Override
    public DtlsSession newDtlsSession(WebRtcTransport transport, List<DtlsFingerprint> remoteFingerprints,
                                      DtlsSession.Listener listener) {
        throw new UnsupportedOperationException("the fixture's transports get their keys directly");
    }
}
