package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.packet.PacketKind;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.sdp.Connection;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.Fingerprint;
import dev.parley.relay.sdp.HeaderExtension;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.Msid;
import dev.parley.relay.sdp.MsidSemantic;
import dev.parley.relay.sdp.Origin;
import dev.parley.relay.sdp.RtcpFeedback;
import dev.parley.relay.sdp.RtpCodec;
import dev.parley.relay.sdp.SdpParseException;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SdpWriter;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
import dev.parley.relay.sdp.Ssrc;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny ICE-lite + DTLS-SRTP server on 127.0.0.1 built from the relay's own codecs: answers binding requests with
 * {@link StunBindingWriter#successResponse}, runs the relay's {@link DtlsSession} as the DTLS server, decrypts what
 * peers send (keeping copies for the test to inspect), can send SRTP/SRTCP to them, and can reflect one peer's
 * media to another (unprotect with the sender's keys, protect with the receiver's).
 *
 * <p>It writes the SDP a Parley relay would: answers to WHIP/WHEP offers, and offers for the WebSocket flow.
 */
final class TestLiteRelay implements AutoCloseable {

    static final String RELAY_CNAME = "test-relay";

    final DtlsCertificate certificate = DtlsCertificate.generate();
    final AtomicInteger dtlsSessionsCreated = new AtomicInteger();
    /** Binding requests to drop before answering (retransmission tests); Integer.MAX_VALUE to never answer. */
    final AtomicInteger dropBindingRequests = new AtomicInteger();
    /** Success responses to sign with a wrong key before signing correctly. */
    final AtomicInteger badIntegrityResponses = new AtomicInteger();
    /** Announce another certificate's fingerprint in our SDP, so the client must refuse the handshake. */
    volatile boolean announceWrongFingerprint;

    private final DatagramChannel channel;
    private final Thread receiveThread;
    private final ExecutorService dtlsExecutor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-relay-dtls");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Peer> peersByUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Peer> peersByAddress = new ConcurrentHashMap<>();
    private final StunBindingWriter stun = new StunBindingWriter();
    private final AtomicInteger ufragCounter = new AtomicInteger();

    TestLiteRelay() throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        receiveThread = new Thread(this::receiveLoop, "test-relay-receive");
        receiveThread.setDaemon(true);
        receiveThread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    Peer newPeer() {
        int n = ufragCounter.incrementAndGet();
        Peer peer = new Peer("relay" + n, "relaypassword0123456789" + n);
        peersByUfrag.put(peer.ufrag, peer);
        return peer;
    }

    /** One client as the relay sees it. */
    final class Peer {
        final String ufrag;
        final String pwd;
        final AtomicInteger bindingRequests = new AtomicInteger();
        final AtomicInteger useCandidateRequests = new AtomicInteger();
        final CompletableFuture<SrtpKeyingMaterial> keys = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();
        final AtomicInteger srtpFailures = new AtomicInteger();
        /** mid -> SSRCs the client announced in its SDP. */
        final Map<String, List<Long>> clientSsrcs = new ConcurrentHashMap<>();
        volatile List<DtlsFingerprint> clientFingerprints;
        volatile String clientUfrag;
        volatile InetSocketAddress address;
        volatile DtlsSession dtls;
        volatile SrtpSession srtp;
        volatile Peer forwardTo;
        private final PacketBuffer sendBuffer = PacketBuffer.forPackets(1500);

        Peer(String ufrag, String pwd) {
            this.ufrag = ufrag;
            this.pwd = pwd;
        }

        /** Sends one RTP packet (plain, it is protected here) to the client. */
        synchronized void sendRtp(byte[] packet, int len) throws IOException {
            sendBuffer.copyFrom(packet, 0, len);
            check(srtp.protectRtp(sendBuffer));
            send();
        }

        synchronized void sendRtcp(byte[] packet, int len) throws IOException {
            sendBuffer.copyFrom(packet, 0, len);
            check(srtp.protectRtcp(sendBuffer));
            send();
        }

        private void send() throws IOException {
            channel.send(ByteBuffer.wrap(sendBuffer.buffer(), sendBuffer.offset(), sendBuffer.length()), address);
        }

        private void check(SrtpStatus status) {
            if (status != SrtpStatus.OK) {
                throw new IllegalStateException("protect failed: " + status);
            }
        }

        /** The next decrypted RTP packet from the client, or null after the timeout. */
        byte[] nextRtp(long millis) throws InterruptedException {
            return rtp.poll(millis, TimeUnit.MILLISECONDS);
        }

        void learnClientDescription(SessionDescription sdp) {
            MediaDescription first = sdp.media().get(0);
            List<DtlsFingerprint> fingerprints = new ArrayList<>();
            for (Fingerprint f : sdp.effective(first).fingerprints()) {
                fingerprints.add(DtlsFingerprint.parse(f.algorithm() + " " + f.value()));
            }
            clientFingerprints = fingerprints;
            clientUfrag = sdp.effective(first).iceUfrag().orElseThrow();
            for (MediaDescription m : sdp.media()) {
                List<Long> ssrcs = new ArrayList<>();
                for (Ssrc s : m.ssrcs()) {
                    ssrcs.add(s.id());
                }
                clientSsrcs.put(m.mid().orElseThrow(), ssrcs);
            }
        }

        /** Applies the client's answer to one of our offers. */
        void applyAnswer(String answer) throws SdpParseException {
            learnClientDescription(SdpParser.parse(answer));
        }

        DtlsFingerprint announcedFingerprint() {
            return announceWrongFingerprint ? DtlsCertificate.generate().fingerprint() : certificate.fingerprint();
        }
    }

    // ---------------------------------------------------------------- SDP

    /**
     * The answer to a client's offer (WHIP/WHEP): each section mirrored, codecs and extmaps kept, our host
     * candidate, and for the sections we send the SSRCs given per mid.
     */
    String answer(Peer peer, String offerSdp, Map<String, Long> sendSsrcByMid) throws SdpParseException,
            IOException {
        SessionDescription offer = SdpParser.parse(offerSdp);
        peer.learnClientDescription(offer);
        SessionDescription answer = new SessionDescription(Origin.of(77, 1));
        answer.setIceLite(true);
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            mids.add(m.mid().orElseThrow());
        }
        answer.setBundle(mids);
        answer.setMsidSemantic(MsidSemantic.wmsAll());
        for (MediaDescription m : offer.media()) {
            String mid = m.mid().orElseThrow();
            Direction direction = offer.effective(m).direction().reverse();
            MediaDescription a = section(peer, m.media(), mid, Setup.PASSIVE);
            m.extmaps().forEach(a::addExtmap);
            a.setDirection(direction);
            Long ssrc = sendSsrcByMid.get(mid);
            if (direction.sends() && ssrc != null) {
                a.addMsid(new Msid("relay", "track-" + ssrc));
            }
            a.setRtcpMux(true);
            a.setRtcpRsize(true);
            m.codecs().forEach(a::addCodec);
            if (direction.sends() && ssrc != null) {
                a.addSsrc(ssrc, RELAY_CNAME);
            }
            if (answer.media().isEmpty()) {
                addCandidate(a);
            }
            answer.addMedia(a);
        }
        return SdpWriter.write(answer);
    }

    /** A section of a relay offer (WebSocket flow), from the relay's point of view. */
    record OfferedSection(String mid, MediaKind kind, Direction direction, Long ssrc, boolean portZero) {
        static OfferedSection publish(String mid, MediaKind kind) {
            return new OfferedSection(mid, kind, Direction.RECVONLY, null, false);
        }

        static OfferedSection track(String mid, MediaKind kind, long ssrc) {
            return new OfferedSection(mid, kind, Direction.SENDONLY, ssrc, false);
        }

        OfferedSection inactive() {
            return new OfferedSection(mid, kind, Direction.INACTIVE, ssrc, false);
        }

        OfferedSection removed() {
            return new OfferedSection(mid, kind, Direction.INACTIVE, ssrc, true);
        }
    }

    static final int OFFER_OPUS_PT = 109;
    static final int OFFER_VP8_PT = 100;
    static final int OFFER_RTX_PT = 101;
    static final int OFFER_MID_EXTENSION_ID = 9;
    static final int OFFER_ABS_SEND_TIME_ID = 3;

    /** An offer as Parley's server would make it, with payload types and extmap ids unlike the client's own. */
    String offer(Peer peer, int version, List<OfferedSection> sections) throws IOException {
        SessionDescription offer = new SessionDescription(Origin.of(88, version));
        offer.setIceLite(true);
        List<String> bundle = new ArrayList<>();
        for (OfferedSection s : sections) {
            if (!s.portZero()) {
                bundle.add(s.mid());
            }
        }
        offer.setBundle(bundle);
        offer.setMsidSemantic(MsidSemantic.wmsAll());
        for (OfferedSection s : sections) {
            MediaDescription m = section(peer, s.kind().sdpName(), s.mid(), Setup.ACTPASS);
            if (s.portZero()) {
                m.setPort(0);
            }
            m.addExtmap(HeaderExtension.of(OFFER_ABS_SEND_TIME_ID, HeaderExtension.ABS_SEND_TIME));
            m.addExtmap(HeaderExtension.of(OFFER_MID_EXTENSION_ID, HeaderExtension.SDES_MID));
            m.setDirection(s.direction());
            if (s.ssrc() != null && s.direction().sends()) {
                m.addMsid(new Msid("other", "track-" + s.ssrc()));
            }
            m.setRtcpMux(true);
            m.setRtcpRsize(true);
            if (s.kind() == MediaKind.AUDIO) {
                m.addCodec(new RtpCodec(OFFER_OPUS_PT, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of()));
            } else {
                m.addCodec(RtpCodec.of(OFFER_VP8_PT, "VP8", 90000).withFeedback(RtcpFeedback.GOOG_REMB,
                        RtcpFeedback.TRANSPORT_CC, RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI));
                m.addCodec(RtpCodec.of(OFFER_RTX_PT, "rtx", 90000).withFmtp("apt=" + OFFER_VP8_PT));
            }
            if (s.ssrc() != null && s.direction().sends()) {
                m.addSsrc(s.ssrc(), RELAY_CNAME);
            }
            if (offer.media().isEmpty()) {
                addCandidate(m);
            }
            offer.addMedia(m);
        }
        return SdpWriter.write(offer);
    }

    private MediaDescription section(Peer peer, String media, String mid, Setup setup) {
        MediaDescription m = new MediaDescription(media, 9, MediaDescription.UDP_TLS_RTP_SAVPF);
        m.setConnection(Connection.UNSPECIFIED_IP4);
        m.setIceCredentials(peer.ufrag, peer.pwd);
        DtlsFingerprint fp = peer.announcedFingerprint();
        m.setFingerprint(Fingerprint.of(fp.algorithm(), fp.value()));
        m.setSetup(setup);
        m.setMid(mid);
        return m;
    }

    private void addCandidate(MediaDescription m) throws IOException {
        InetSocketAddress own = address();
        // an unusable mDNS candidate first: the client must skip it and never resolve it
        m.addCandidate(IceCandidate.host("2", 1, "udp", IceCandidate.priority(126, 65535, 1), "relay.local", 9));
        m.addCandidate(IceCandidate.host("1", 1, "udp", IceCandidate.priority(126, 65534, 1),
                own.getAddress().getHostAddress(), own.getPort()));
        m.setEndOfCandidates(true);
    }

    // ---------------------------------------------------------------- network

    private void receiveLoop() {
        byte[] buf = new byte[4096];
        ByteBuffer datagram = ByteBuffer.wrap(buf);
        PacketBuffer packet = PacketBuffer.forPackets(4096);
        while (true) {
            InetSocketAddress from;
            datagram.clear();
            try {
                from = (InetSocketAddress) channel.receive(datagram);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return;
                }
                continue;
            }
            int len = datagram.position();
            try {
                switch (PacketKind.classify(buf, 0, len)) {
                    case STUN -> onStun(buf, len, from);
                    case DTLS -> onDtls(buf, len, from);
                    case RTP, RTCP -> onSrtp(buf, len, from, packet);
                    default -> {
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!channel.isOpen()) {
                    return;
                }
                e.printStackTrace();
            }
        }
    }

    private void onStun(byte[] buf, int len, InetSocketAddress from) throws IOException {
        StunMessage request = StunMessage.parse(buf, 0, len);
        if (request == null || !request.isBindingRequest() || request.username() == null) {
            return;
        }
        String username = request.username();
        int colon = username.indexOf(':');
        Peer peer = colon < 0 ? null : peersByUfrag.get(username.substring(0, colon));
        if (peer == null || !request.verifyFingerprint()
                || !request.verifyMessageIntegrity(StunMessage.shortTermKey(peer.pwd))
                || request.iceControlling().isEmpty()) {
            return;
        }
        if (peer.clientUfrag != null && !username.substring(colon + 1).equals(peer.clientUfrag)) {
            return;
        }
        peer.bindingRequests.incrementAndGet();
        if (dropBindingRequests.get() > 0 && dropBindingRequests.getAndDecrement() > 0) {
            return;
        }
        if (request.useCandidate()) {
            peer.useCandidateRequests.incrementAndGet();
            peer.address = from;
            peersByAddress.put(from, peer);
        }
        byte[] key = StunMessage.shortTermKey(peer.pwd);
        if (badIntegrityResponses.get() > 0 && badIntegrityResponses.getAndDecrement() > 0) {
            key = StunMessage.shortTermKey("not-the-password-you-expect");
        }
        byte[] response = stun.successResponse(request.transactionId(), from, key);
        channel.send(ByteBuffer.wrap(response), from);
    }

    private void onDtls(byte[] buf, int len, InetSocketAddress from) {
        Peer peer = peersByAddress.get(from);
        if (peer == null) {
            return;
        }
        if (peer.dtls == null) {
            dtlsSessionsCreated.incrementAndGet();
            peer.dtls = new DtlsSession(certificate, peer.clientFingerprints,
                    (b, off, l) -> channel.send(ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + l)), from),
                    dtlsExecutor, new DtlsSession.Listener() {
                        @Override
                        public void onHandshakeComplete(SrtpKeyingMaterial keyingMaterial) {
                            peer.srtp = new SrtpSession(keyingMaterial);
                            peer.keys.complete(keyingMaterial);
                        }

                        @Override
                        public void onClosed(String reason) {
                            peer.closed.complete(reason);
                        }
                    });
        }
        peer.dtls.onDatagram(buf, 0, len);
    }

    private void onSrtp(byte[] buf, int len, InetSocketAddress from, PacketBuffer packet) throws IOException {
        Peer peer = peersByAddress.get(from);
        if (peer == null || peer.srtp == null) {
            return;
        }
        boolean isRtp = PacketKind.classify(buf, 0, len) == PacketKind.RTP;
        packet.copyFrom(buf, 0, len);
        SrtpStatus status = isRtp ? peer.srtp.unprotectRtp(packet) : peer.srtp.unprotectRtcp(packet);
        if (status != SrtpStatus.OK) {
            peer.srtpFailures.incrementAndGet();
            return;
        }
        byte[] plain = Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length());
        (isRtp ? peer.rtp : peer.rtcp).add(plain);
        Peer target = peer.forwardTo;
        if (target != null && target.srtp != null) {
            if (isRtp) {
                target.sendRtp(plain, plain.length);
            } else {
                target.sendRtcp(plain, plain.length);
            }
        }
    }

    /** The single peer whose DTLS handshake completed, or null while there is none. */
    Peer onlyPeerWithKeys() {
        Peer found = null;
        for (Peer peer : peersByUfrag.values()) {
            if (peer.keys.isDone() && !peer.keys.isCompletedExceptionally()) {
                if (found != null) {
                    throw new IllegalStateException("more than one connected peer");
                }
                found = peer;
            }
        }
        return found;
    }

    /** mid -> SSRC map helper for answers. */
    static Map<String, Long> ssrcs(Object... midAndSsrc) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < midAndSsrc.length; i += 2) {
            out.put((String) midAndSsrc[i], ((Number) midAndSsrc[i + 1]).longValue());
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (Peer peer : peersByUfrag.values()) {
            if (peer.dtls != null) {
                peer.dtls.close();
            }
        }
        channel.close();
        receiveThread.join(2_000);
        dtlsExecutor.shutdownNow();
        dtlsExecutor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
