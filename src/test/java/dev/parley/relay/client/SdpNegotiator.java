package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.sdp.Connection;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.EffectiveMedia;
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
import dev.parley.relay.sdp.SsrcAttribute;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSEP-style offer/answer for one endpoint (RFC 8829, RFC 3264), with no I/O: this side either offers once (WHIP,
 * WHEP) and applies the answer, or applies the remote side's offers and answers them (Parley's signalling, where the
 * server always offers). Every description is BUNDLEd with rtcp-mux; we are always the DTLS client.
 *
 * <p>Renegotiation by remote offer keeps the m-sections in place: an offer may append sections or make existing ones
 * inactive or rejected, never reorder or remove them, and must keep the ICE credentials and the certificate (no ICE
 * restart). Thread-safe: every method locks this object.
 */
final class SdpNegotiator {

    static final String PROTOCOL = MediaDescription.UDP_TLS_RTP_SAVPF;
    /** The MID extension id in our own offers (the answerer must keep it). */
    static final int OFFER_MID_EXTENSION_ID = 1;
    /** The ssrc-audio-level extension id (RFC 6464) in our own offers' audio sections, as browsers offer it. */
    static final int OFFER_AUDIO_LEVEL_EXTENSION_ID = 2;
    static final String OPUS_FMTP = "minptime=10;useinbandfec=1";
    private static final List<RtcpFeedback> VIDEO_FEEDBACK = List.of(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI,
            RtcpFeedback.CCM_FIR);
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private enum SignalingState { STABLE, HAVE_LOCAL_OFFER, HAVE_REMOTE_OFFER }

    private final String iceUfrag;
    private final String icePwd;
    private final Fingerprint fingerprint;
    private final String cname;
    private final String streamId;
    private final SecureRandom random;
    private final long sessionId;
    private long sessionVersion;

    private SignalingState state = SignalingState.STABLE;
    private List<Transceiver> current = List.of();
    private RemoteTransport remote;
    private List<Transceiver> pending;
    private SessionDescription pendingOffer;
    private RemoteTransport pendingRemote;

    SdpNegotiator(String iceUfrag, String icePwd, DtlsFingerprint fingerprint, String cname, String streamId,
            SecureRandom random) {
        this.iceUfrag = iceUfrag;
        this.icePwd = icePwd;
        this.fingerprint = Fingerprint.of(fingerprint.algorithm(), fingerprint.value());
        this.cname = cname;
        this.streamId = streamId;
        this.random = random;
        this.sessionId = random.nextLong() & Long.MAX_VALUE;
    }

    /** The negotiated sections (empty before the first negotiation completes). */
    synchronized List<Transceiver> transceivers() {
        return current;
    }

    /** The remote transport of the last completed negotiation, or null. */
    synchronized RemoteTransport remoteTransport() {
        return remote;
    }

    // ---- we offer (WHIP / WHEP)

    synchronized String createOffer(OfferOptions options) {
        if (state != SignalingState.STABLE || !current.isEmpty()) {
            throw new OfferAnswerException("this endpoint offers only once, before any other negotiation");
        }
        List<Transceiver> offered = new ArrayList<>();
        if (options.audio() != null) {
            offered.add(offeredTransceiver(Integer.toString(offered.size()), MediaKind.AUDIO, options.audio()));
        }
        if (options.video() != null) {
            offered.add(offeredTransceiver(Integer.toString(offered.size()), MediaKind.VIDEO, options.video()));
        }
        SessionDescription sdp = newDescription(offered);
        for (Transceiver t : offered) {
            MediaDescription m = transportSection(t.media(), 9, t.mid(), Setup.ACTPASS);
            m.addExtmap(HeaderExtension.of(OFFER_MID_EXTENSION_ID, HeaderExtension.SDES_MID));
            if (t.kind() == MediaKind.AUDIO) {
                m.addExtmap(HeaderExtension.of(OFFER_AUDIO_LEVEL_EXTENSION_ID, HeaderExtension.SSRC_AUDIO_LEVEL));
            }
            m.setDirection(t.direction());
            addTrackIdentity(m, t);
            m.setRtcpMux(true);
            m.setRtcpRsize(true);
            m.addCodec(ourCodec(t.kind(), t.payloadType()));
            addSsrcLines(m, t);
            sdp.addMedia(m);
        }
        pending = List.copyOf(offered);
        state = SignalingState.HAVE_LOCAL_OFFER;
        return SdpWriter.write(sdp);
    }

    private Transceiver offeredTransceiver(String mid, MediaKind kind, Direction direction) {
        long ssrc = direction.sends() ? newSsrc(Set.of()) : 0;
        return new Transceiver(mid, kind.sdpName(), kind, direction, ClientCodec.of(kind).defaultPayloadType(), ssrc,
                OFFER_MID_EXTENSION_ID, List.of(), false);
    }

    synchronized void applyAnswer(String answerSdp) {
        if (state != SignalingState.HAVE_LOCAL_OFFER) {
            throw new OfferAnswerException("no offer of ours is waiting for an answer");
        }
        SessionDescription answer = parse(answerSdp, "answer");
        if (answer.media().size() != pending.size()) {
            throw new OfferAnswerException("the answer has " + answer.media().size() + " m-sections, the offer had "
                    + pending.size());
        }
        List<Transceiver> negotiated = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Transceiver ours = pending.get(i);
            MediaDescription m = answer.media().get(i);
            Optional<String> mid = m.mid();
            if (mid.isPresent() && !mid.get().equals(ours.mid())) {
                throw new OfferAnswerException("answer m-section " + i + " has mid " + mid.get() + ", expected "
                        + ours.mid());
            }
            Optional<RtpCodec> codec = findCodec(m, ours.kind());
            boolean rejected = m.port() == 0 || codec.isEmpty();
            Direction theirs = answer.effective(m).direction();
            Direction direction = rejected ? Direction.INACTIVE
                    : direction(ours.direction().sends() && theirs.receives(),
                            ours.direction().receives() && theirs.sends());
            negotiated.add(new Transceiver(ours.mid(), ours.media(), ours.kind(), direction,
                    codec.map(RtpCodec::payloadType).orElse(-1), ours.localSsrc(), midExtensionId(answer, m),
                    remoteSsrcs(m), rejected));
        }
        RemoteTransport transport = remoteTransport(answer, negotiated);
        checkSetup(answer, negotiated, "answer", Setup.PASSIVE);
        current = List.copyOf(negotiated);
        remote = transport;
        pending = null;
        state = SignalingState.STABLE;
    }

    // ---- the remote side offers (Parley's WebSocket signalling)

    synchronized void applyOffer(String offerSdp) {
        applyOffer(offerSdp, Set.of());
    }

    /** As {@link #applyOffer(String)}, answering the sections with these mids inactive (neither way). */
    synchronized void applyOffer(String offerSdp, Set<String> declinedMids) {
        if (state != SignalingState.STABLE) {
            throw new OfferAnswerException("an offer can only be applied in the stable state, not " + state);
        }
        SessionDescription offer = parse(offerSdp, "offer");
        if (offer.media().size() < current.size()) {
            throw new OfferAnswerException("the offer has " + offer.media().size()
                    + " m-sections; m-sections are never removed (had " + current.size() + ")");
        }
        Set<Long> usedSsrcs = new HashSet<>();
        for (Transceiver t : current) {
            usedSsrcs.add(t.localSsrc());
        }
        List<Transceiver> next = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            String mid = m.mid().orElseThrow(() -> new OfferAnswerException("offered m-sections need a=mid"));
            Transceiver previous = i < current.size() ? current.get(i) : null;
            if (previous != null && !previous.mid().equals(mid)) {
                throw new OfferAnswerException("m-section " + i + " changed its mid from " + previous.mid() + " to "
                        + mid + "; sections may only be appended");
            }
            MediaKind kind = MediaKind.fromSdp(m.media());
            Optional<RtpCodec> codec = kind == null || !m.isRtp() ? Optional.empty() : findCodec(m, kind);
            boolean rejected = m.isRejected() || codec.isEmpty();
            Direction direction = rejected || declinedMids.contains(mid) ? Direction.INACTIVE
                    : offer.effective(m).direction().reverse();
            long ssrc = previous != null ? previous.localSsrc() : 0;
            if (ssrc == 0 && direction.sends()) {
                ssrc = newSsrc(usedSsrcs);
                usedSsrcs.add(ssrc);
            }
            next.add(new Transceiver(mid, m.media(), kind, direction, codec.map(RtpCodec::payloadType).orElse(-1),
                    ssrc, midExtensionId(offer, m), remoteSsrcs(m), rejected));
        }
        RemoteTransport transport = remoteTransport(offer, next);
        if (remote != null && !remote.sameTransport(transport)) {
            throw new OfferAnswerException("the offer changes the ICE credentials or the certificate; ICE restart "
                    + "is not supported");
        }
        checkSetup(offer, next, "offer", Setup.ACTPASS);
        pending = List.copyOf(next);
        pendingOffer = offer;
        pendingRemote = transport;
        state = SignalingState.HAVE_REMOTE_OFFER;
    }

    synchronized String createAnswer() {
        if (state != SignalingState.HAVE_REMOTE_OFFER) {
            throw new OfferAnswerException("no remote offer to answer");
        }
        SessionDescription answer = newDescription(pending);
        for (int i = 0; i < pending.size(); i++) {
            Transceiver t = pending.get(i);
            MediaDescription offered = pendingOffer.media().get(i);
            if (t.rejected()) {
                MediaDescription m = new MediaDescription(offered.media(), 0, offered.protocol());
                if (!offered.formats().isEmpty()) {
                    m.setFormats(List.of(offered.formats().get(0)));
                }
                m.setConnection(Connection.UNSPECIFIED_IP4);
                m.setMid(t.mid());
                m.setDirection(Direction.INACTIVE);
                answer.addMedia(m);
                continue;
            }
            MediaDescription m = transportSection(offered.media(), 9, t.mid(), Setup.ACTIVE);
            if (t.midExtensionId() > 0) {
                m.addExtmap(HeaderExtension.of(t.midExtensionId(), HeaderExtension.SDES_MID));
            }
            m.setDirection(t.direction());
            addTrackIdentity(m, t);
            m.setRtcpMux(true);
            m.setRtcpRsize(offered.rtcpRsize());
            RtpCodec codec = offered.codec(t.payloadType()).orElseThrow();
            m.addCodec(codec.withFeedback(codec.feedback().stream().filter(VIDEO_FEEDBACK::contains).toList()));
            addSsrcLines(m, t);
            answer.addMedia(m);
        }
        current = pending;
        remote = pendingRemote;
        pending = null;
        pendingOffer = null;
        pendingRemote = null;
        state = SignalingState.STABLE;
        return SdpWriter.write(answer);
    }

    // ---- writing

    private SessionDescription newDescription(List<Transceiver> transceivers) {
        SessionDescription sdp = new SessionDescription(Origin.of(sessionId, ++sessionVersion));
        List<String> bundle = new ArrayList<>();
        for (Transceiver t : transceivers) {
            if (!t.rejected()) {
                bundle.add(t.mid());
            }
        }
        sdp.setBundle(bundle);
        sdp.setMsidSemantic(new MsidSemantic("WMS", List.of(streamId)));
        return sdp;
    }

    private MediaDescription transportSection(String media, int port, String mid, Setup setup) {
        MediaDescription m = new MediaDescription(media, port, PROTOCOL);
        m.setConnection(Connection.UNSPECIFIED_IP4);
        m.setIceCredentials(iceUfrag, icePwd);
        m.setFingerprint(fingerprint);
        m.setSetup(setup);
        m.setMid(mid);
        return m;
    }

    private void addTrackIdentity(MediaDescription m, Transceiver t) {
        if (t.sending()) {
            m.addMsid(new Msid(streamId, trackId(t)));
        }
    }

    private void addSsrcLines(MediaDescription m, Transceiver t) {
        if (t.sending()) {
            m.addSsrc(t.localSsrc(), cname);
            m.addSsrcAttribute(new SsrcAttribute(t.localSsrc(), "msid", streamId + " " + trackId(t)));
        }
    }

    private static String trackId(Transceiver t) {
        return t.media() + "-" + Long.toHexString(t.localSsrc());
    }

    static RtpCodec ourCodec(MediaKind kind, int payloadType) {
        ClientCodec ours = ClientCodec.of(kind);
        RtpCodec codec = new RtpCodec(payloadType, ours.codecName(), ours.clockRate(), ours.channels(), null,
                List.of());
        return kind == MediaKind.AUDIO ? codec.withFmtp(OPUS_FMTP) : codec.withFeedback(VIDEO_FEEDBACK);
    }

    // ---- reading

    private static SessionDescription parse(String sdp, String what) {
        try {
            return SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw new OfferAnswerException("unreadable " + what + ": " + e.getMessage(), e);
        }
    }

    /** The first codec of the section that this kind sends and understands. */
    private static Optional<RtpCodec> findCodec(MediaDescription m, MediaKind kind) {
        ClientCodec ours = ClientCodec.of(kind);
        for (RtpCodec codec : m.codecs()) {
            if (codec.is(ours.codecName()) && codec.clockRate() == ours.clockRate()) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    private static int midExtensionId(SessionDescription sdp, MediaDescription m) {
        for (HeaderExtension e : sdp.effective(m).extmaps()) {
            if (e.uri().equals(HeaderExtension.SDES_MID) && e.id() <= 14) {
                return e.id();
            }
        }
        return 0;
    }

    private static List<Long> remoteSsrcs(MediaDescription m) {
        List<Long> out = new ArrayList<>();
        for (Ssrc ssrc : m.ssrcs()) {
            out.add(ssrc.id());
        }
        return out;
    }

    private static Direction direction(boolean sends, boolean receives) {
        if (sends && receives) {
            return Direction.SENDRECV;
        }
        if (sends) {
            return Direction.SENDONLY;
        }
        return receives ? Direction.RECVONLY : Direction.INACTIVE;
    }

    /** We are always the DTLS client: the remote side must be passive (answer) or actpass/passive (offer). */
    private static void checkSetup(SessionDescription sdp, List<Transceiver> transceivers, String what,
            Setup expected) {
        for (int i = 0; i < transceivers.size(); i++) {
            if (transceivers.get(i).rejected()) {
                continue;
            }
            Optional<Setup> setup = sdp.effective(sdp.media().get(i)).setup();
            if (setup.isPresent() && setup.get() != expected && setup.get() != Setup.PASSIVE) {
                throw new OfferAnswerException("the " + what + " asks for a=setup:" + setup.get().value()
                        + "; this endpoint is always the DTLS client");
            }
        }
    }

    static RemoteTransport remoteTransport(SessionDescription sdp, List<Transceiver> transceivers) {
        MediaDescription first = null;
        for (int i = 0; i < transceivers.size(); i++) {
            if (!transceivers.get(i).rejected()) {
                first = sdp.media().get(i);
                break;
            }
        }
        if (first == null) {
            throw new OfferAnswerException("every m-section is rejected: nothing to connect");
        }
        EffectiveMedia e = sdp.effective(first);
        String ufrag = e.iceUfrag().orElseThrow(() -> new OfferAnswerException("no a=ice-ufrag"));
        String pwd = e.icePwd().orElseThrow(() -> new OfferAnswerException("no a=ice-pwd"));
        List<DtlsFingerprint> fingerprints = new ArrayList<>();
        for (Fingerprint f : e.fingerprints()) {
            try {
                fingerprints.add(DtlsFingerprint.parse(f.algorithm() + " " + f.value()));
            } catch (IllegalArgumentException unsupported) {
                // e.g. md5, or a length that does not match the hash; another line may still do
            }
        }
        if (fingerprints.isEmpty()) {
            throw new OfferAnswerException("no usable a=fingerprint");
        }
        List<IceCandidate> candidates = new ArrayList<>();
        for (MediaDescription m : sdp.media()) {
            candidates.addAll(m.candidates());
        }
        candidates.sort(Comparator.comparingLong((IceCandidate c) -> c.priority()).reversed());
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (IceCandidate c : candidates) {
            InetSocketAddress address = udpHostAddress(c);
            if (address != null && !addresses.contains(address)) {
                addresses.add(address);
            }
        }
        return new RemoteTransport(ufrag, pwd, sdp.iceLite(), fingerprints, addresses);
    }

    /** The candidate's address if it is a UDP RTP candidate with an IP literal (never a DNS or mDNS lookup). */
    private static InetSocketAddress udpHostAddress(IceCandidate c) {
        if (!c.isUdp() || c.component() != 1 || c.port() == 0) {
            return null;
        }
        String address = c.address();
        if (!IPV4_LITERAL.matcher(address).matches() && !IPV6_LITERAL.matcher(address).matches()) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address), c.port());
        } catch (UnknownHostException malformedLiteral) {
            return null;
        }
    }

    private long newSsrc(Set<Long> used) {
        while (true) {
            long ssrc = random.nextInt() & 0xFFFFFFFFL;
            if (ssrc != 0 && !used.contains(ssrc)) {
                return ssrc;
            }
        }
    }
}
