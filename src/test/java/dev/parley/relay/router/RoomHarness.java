package dev.parley.relay.router;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.transport.LoopContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room of the forwarding core on a {@link LoopFixture}: joins browsers, WHIP and WHEP clients, publishes tracks,
 * lets clients send (encrypted with their keys) and reads back what each client received (decrypted with its keys).
 */
final class RoomHarness {

    static final long MILLIS = 1_000_000L;

    final RecordingSender sender = new RecordingSender();
    final LoopFixture fixture;
    final LoopContext ctx;
    final Router router;
    private final Map<Peer, RecordingListener> peers = new LinkedHashMap<>();
    private int nextOutSsrc = 0x0A000001;
    private int nextHandshakingPort = 50000;

    RoomHarness() {
        this(SrtpProfile.AEAD_AES_128_GCM);
    }

    RoomHarness(SrtpProfile profile) {
        this(profile, Integer.MAX_VALUE);
    }

    /** A room whose router forwards the video of at most {@code lastN} senders. */
    RoomHarness(int lastN) {
        this(SrtpProfile.AEAD_AES_128_GCM, lastN);
    }

    private RoomHarness(SrtpProfile profile, int lastN) {
        this(profile, lastN, true);
    }

    private RoomHarness(SrtpProfile profile, int lastN, boolean nackRepair) {
        router = new Router("room-1", lastN, nackRepair);
        fixture = new LoopFixture(sender, profile);
        ctx = fixture.context();
    }

    /** A room whose relay leaves loss to key frames (the setting {@code nackRepair} off). */
    static RoomHarness withoutNackRepair() {
        return new RoomHarness(SrtpProfile.AEAD_AES_128_GCM, Integer.MAX_VALUE, false);
    }

    Peer browser(String participantId) {
        return join(participantId, Endpoint.Kind.BROWSER, null);
    }

    Peer whip(String participantId) {
        return join(participantId, Endpoint.Kind.WHIP, null);
    }

    /** A WHEP player with an audio and a video m-section, watching {@code target}. */
    Peer whep(String viewerId, String target) {
        return join(viewerId, Endpoint.Kind.WHEP, target);
    }

    /** A WHEP player with an audio and a video m-section that starts on {@code first} and follows the speaker. */
    Peer whepFollowingSpeaker(String viewerId, String first) {
        return join(viewerId, Endpoint.Kind.WHEP, first, true);
    }

    /** A browser in the room whose DTLS handshake is still running ({@code fixture.finishHandshake} ends it). */
    Peer handshakingBrowser(String participantId) {
        RecordingListener events = new RecordingListener();
        Peer peer = fixture.handshakingPeer(participantId, Endpoint.Kind.BROWSER, router, events,
                new InetSocketAddress("127.0.0.1", nextHandshakingPort++));
        router.addEndpoint(peer.endpoint(), ctx);
        peers.put(peer, events);
        return peer;
    }

    private Peer join(String participantId, Endpoint.Kind kind, String whepTarget) {
        return join(participantId, kind, whepTarget, false);
    }

    private Peer join(String participantId, Endpoint.Kind kind, String whepTarget, boolean followSpeaker) {
        RecordingListener events = new RecordingListener();
        Peer peer = fixture.connectedPeer(participantId, kind, router, events);
        if (whepTarget != null) {
            peer.endpoint().setWhepTarget(whepTarget);
            if (followSpeaker) {
                peer.endpoint().followSpeaker();
            }
            peer.endpoint().addSection(MediaKind.AUDIO, MediaSection.Role.CONSUME, "0");
            peer.endpoint().addSection(MediaKind.VIDEO, MediaSection.Role.CONSUME, "1");
        }
        router.addEndpoint(peer.endpoint(), ctx);
        peers.put(peer, events);
        return peer;
    }

    RecordingListener events(Peer peer) {
        return peers.get(peer);
    }

    /** Opus audio announced on {@code ssrc}. */
    Producer publishAudio(Peer peer, int ssrc) {
        return publish(peer, RtpCodecSpec.OPUS, ssrc, 0);
    }

    /** VP8 video with RTX, announced on {@code ssrc} and {@code rtxSsrc} (0: not announced, learnt from packets). */
    Producer publishVideo(Peer peer, int ssrc, int rtxSsrc) {
        return publish(peer, RtpCodecSpec.VP8, ssrc, rtxSsrc);
    }

    /** VP8 simulcast with RTX in layers named by {@code rids} (lowest first); SSRCs are learnt from the RIDs. */
    Producer publishSimulcast(Peer peer, String... rids) {
        return publishSimulcast(peer, RtpCodecSpec.VP8, rids);
    }

    /** Simulcast of {@code codec} (with its RTX) in layers named by {@code rids}, lowest first. */
    Producer publishSimulcast(Peer peer, RtpCodecSpec codec, String... rids) {
        Endpoint endpoint = peer.endpoint();
        MediaSection section = endpoint.addSection(codec.kind(), MediaSection.Role.PUBLISH, null);
        Producer producer = new Producer(endpoint.id() + "-" + section.mid(), codec.kind(), endpoint,
                endpoint.participantId() + "-video", codec, codec.payloadType(), codec.rtxPayloadType(), null,
                nextOutSsrc++, nextOutSsrc++, java.util.List.of(rids));
        endpoint.addProducer(section, producer, 0, 0, ctx);
        return producer;
    }

    /**
     * The participant shares its screen as a browser does once allowed: VP8 with RTX as one stream (no simulcast) in
     * the screen section, announced on {@code ssrc} and {@code rtxSsrc}.
     */
    Producer publishScreen(Peer peer, int ssrc, int rtxSsrc) {
        Endpoint endpoint = peer.endpoint();
        endpoint.allowScreenShare(true);
        MediaSection section = endpoint.screenSection();
        RtpCodecSpec codec = RtpCodecSpec.VP8;
        Producer producer = new Producer(endpoint.id() + "-" + section.mid(), codec.kind(), TrackSource.SCREEN,
                endpoint, endpoint.participantId() + "-screen", codec, codec.payloadType(), codec.rtxPayloadType(),
                null, nextOutSsrc++, nextOutSsrc++, java.util.List.of());
        endpoint.addProducer(section, producer, ssrc, rtxSsrc, ctx);
        return producer;
    }

    private Producer publish(Peer peer, RtpCodecSpec codec, int ssrc, int rtxSsrc) {
        Endpoint endpoint = peer.endpoint();
        MediaSection section = endpoint.addSection(codec.kind(), MediaSection.Role.PUBLISH, null);
        Producer producer = new Producer(endpoint.id() + "-" + section.mid(), codec.kind(), endpoint,
                endpoint.participantId() + "-" + codec.kind().sdpName(), codec, codec.payloadType(),
                codec.rtxPayloadType(), null, nextOutSsrc++, codec.hasRtx() ? nextOutSsrc++ : 0);
        endpoint.addProducer(section, producer, ssrc, rtxSsrc, ctx);
        return producer;
    }

    /** Every browser answers: each consumer it has is negotiated (WHEP consumers need no answer). */
    void negotiate() {
        for (Peer peer : peers.keySet()) {
            for (MediaSection section : peer.endpoint().sections()) {
                if (section.consumer() != null) {
                    section.consumer().onNegotiated(ctx);
                }
            }
        }
    }

    /** The consumer of {@code producer} on {@code peer}'s endpoint. */
    static Consumer consumerOf(Peer peer, Producer producer) {
        for (MediaSection section : peer.endpoint().sections()) {
            if (section.consumer() != null && section.consumer().producer() == producer) {
                return section.consumer();
            }
        }
        throw new AssertionError(peer.endpoint() + " has no consumer of " + producer);
    }

    // ---------------------------------------------------------------- what clients send

    /** The client encrypts an RTP packet and the relay receives it. */
    void send(Peer from, byte[] rtp) {
        receive(from, from.protect(rtp), false);
    }

    /** The client encrypts an RTCP compound packet and the relay receives it. */
    void sendRtcp(Peer from, byte[] rtcp) {
        receive(from, from.protectRtcp(rtcp), true);
    }

    /** The relay receives a datagram as it is; the array is copied first because the relay decrypts in place. */
    void receive(Peer from, byte[] datagram, boolean rtcp) {
        byte[] copy = datagram.clone();
        if (rtcp) {
            from.transport().onSrtcp(copy, 0, copy.length, from.address(), ctx);
        } else {
            from.transport().onSrtp(copy, 0, copy.length, from.address(), ctx);
        }
    }

    // ---------------------------------------------------------------- what clients received

    /** Decrypts and removes the RTP the relay sent this client. */
    List<byte[]> rtpReceived(Peer peer) {
        return decrypt(peer, false);
    }

    /** Decrypts and removes the RTCP the relay sent this client: one compound packet per datagram. */
    List<byte[]> rtcpReceived(Peer peer) {
        return decrypt(peer, true);
    }

    /** All RTCP packets the client received, every compound split, in order. */
    List<Packets.Rtcp> rtcpPacketsReceived(Peer peer) {
        List<Packets.Rtcp> out = new ArrayList<>();
        for (byte[] compound : rtcpReceived(peer)) {
            out.addAll(Packets.split(compound));
        }
        return out;
    }

    private List<byte[]> decrypt(Peer peer, boolean rtcp) {
        List<byte[]> out = new ArrayList<>();
        for (RecordingSender.Datagram d : sender.take(peer.address(), rtcp)) {
            out.add(unprotect(peer.client(), d.data(), rtcp));
        }
        return out;
    }

    private static byte[] unprotect(SrtpSession client, byte[] datagram, boolean rtcp) {
        PacketBuffer buffer = PacketBuffer.forPackets(datagram.length);
        buffer.copyFrom(datagram, 0, datagram.length);
        SrtpStatus status = rtcp ? client.unprotectRtcp(buffer) : client.unprotectRtp(buffer);
        if (status != SrtpStatus.OK) {
            throw new AssertionError("the client could not decrypt what the relay sent: " + status);
        }
        byte[] plain = new byte[buffer.length()];
        System.arraycopy(buffer.buffer(), buffer.offset(), plain, 0, plain.length);
        return plain;
    }

    /** The SSRCs of the RTP packets the client received (taking them, as {@link #rtpReceived} does). */
    List<Integer> ssrcsReceived(Peer peer) {
        return rtpReceived(peer).stream().map(b -> parse(b).ssrc()).toList();
    }

    /** The sequence numbers of the RTP packets the client received (taking them). */
    List<Integer> sequencesReceived(Peer peer) {
        return rtpReceived(peer).stream().map(b -> parse(b).sequenceNumber()).toList();
    }

    /** A parsed view of a decrypted RTP packet. */
    static RtpPacket parse(byte[] rtp) {
        RtpPacket view = new RtpPacket();
        if (!view.wrap(rtp, 0, rtp.length)) {
            throw new AssertionError("the relay sent RTP that does not parse");
        }
        return view;
    }

    // ---------------------------------------------------------------- time

    void advanceMillis(long millis) {
        fixture.advance(millis * MILLIS);
    }

    /** The loop's periodic tick, for every transport still open. */
    void tick() {
        for (Peer peer : peers.keySet()) {
            if (!peer.transport().isClosed()) {
                peer.transport().tick(ctx);
            }
        }
    }
}
