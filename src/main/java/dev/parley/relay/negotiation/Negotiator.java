package dev.parley.relay.negotiation;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.router.Consumer;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.RtpCodecSpec;
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
import dev.parley.relay.sdp.SsrcGroup;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.MediaSection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The signalling edge of the relay: turns its transports into SDP and SDP into producers and consumers. The core never
 * sees SDP. Browsers get offers written from the relay's canonical codecs and header-extension ids; WHIP and WHEP
 * clients offer their own and get answers mapped onto the canonical ones. Runs on the relay loop.
 */
public final class Negotiator {

    static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    static final int AUDIO_LEVEL_ID = 1;
    static final int VIDEO_ORIENTATION_ID = 3;
    private static final int MAX_SDP_LENGTH = 128 * 1024;

    private final Fingerprint fingerprint;
    private final List<IceCandidate> candidates;
    private final List<RtpCodecSpec> videoCodecs;
    private final IntSupplier ssrcAllocator;
    private final long sessionId;

    /**
     * @param videoCodecs video codecs in the order the relay prefers them; publishers send the first they support
     * @param ssrcAllocator hands out relay-wide unique SSRCs for what the relay sends
     */
    public Negotiator(String sdpFingerprint, List<IceCandidate> candidates, List<RtpCodecSpec> videoCodecs,
                      IntSupplier ssrcAllocator, long sessionId) {
        String[] parts = sdpFingerprint.split(" ", 2);
        this.fingerprint = new Fingerprint(parts[0], parts[1]);
        this.candidates = List.copyOf(candidates);
        this.videoCodecs = List.copyOf(videoCodecs);
        this.ssrcAllocator = ssrcAllocator;
        this.sessionId = sessionId;
    }

    // ------------------------------------------------------------------ browsers: the relay offers

    /** Adds the two sections a browser publishes into (audio, video). */
    public void preparePublishSections(Endpoint endpoint) {
        endpoint.addSection(MediaKind.AUDIO, MediaSection.Role.PUBLISH, null);
        endpoint.addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null);
    }

    /** Writes the next offer for a browser and marks its sections offered. */
    public TransportOffer offer(Endpoint endpoint, OfferState offers) {
        int version = offers.beginOffer();
        SessionDescription sdp = session(version);
        String audioMid = null;
        String videoMid = null;
        List<TransportOffer.Track> tracks = new ArrayList<>();
        List<String> mids = new ArrayList<>();
        for (MediaSection section : endpoint.sections()) {
            section.markOffered();
            MediaDescription m = newMedia(section.kind(), section.mid(), endpoint, Setup.ACTPASS);
            if (section.role() == MediaSection.Role.PUBLISH) {
                m.setDirection(Direction.RECVONLY);
                addExtensions(m, section.kind());
                for (RtpCodecSpec codec : section.kind() == MediaKind.AUDIO ? List.of(RtpCodecSpec.OPUS) : videoCodecs) {
                    addCodec(m, codec, codec.payloadType(), codec.rtxPayloadType());
                }
                if (section.kind() == MediaKind.AUDIO) {
                    audioMid = section.mid();
                } else {
                    videoMid = section.mid();
                }
            } else {
                Consumer consumer = section.consumer();
                Producer producer = consumer.producer();
                addCodec(m, producer.codec(), producer.codec().payloadType(), producer.codec().rtxPayloadType());
                boolean active = !section.isFinished();
                if (active) {
                    m.setDirection(Direction.SENDONLY);
                    addExtensions(m, section.kind());
                    addSendStreams(m, producer, true);
                } else {
                    m.setDirection(Direction.INACTIVE);
                }
                tracks.add(new TransportOffer.Track(section.mid(), producer.endpoint().participantId(),
                        section.kind(), active));
            }
            sdp.addMedia(m);
            mids.add(section.mid());
        }
        sdp.setBundle(mids);
        return new TransportOffer(version, SdpWriter.write(sdp), audioMid, videoMid, List.copyOf(tracks));
    }

    /** Applies a browser's answer (parsed with {@link #parse}) to the endpoint's current offer. */
    public void applyAnswer(Endpoint endpoint, SessionDescription answer, LoopContext ctx) throws NegotiationException {
        if (answer.media().isEmpty()) {
            throw new NegotiationException("bad-sdp", "the answer has no m-sections");
        }
        EffectiveMedia first = answer.effective(answer.media().get(0));
        Optional<Setup> setup = first.setup();
        if (setup.isPresent() && setup.get() != Setup.ACTIVE) {
            throw new NegotiationException("bad-sdp", "the answer must take the DTLS client role (a=setup:active)");
        }
        String ufrag = first.iceUfrag().orElseThrow(() -> new NegotiationException("bad-sdp", "no a=ice-ufrag"));
        List<DtlsFingerprint> fingerprints = fingerprints(first);
        // Sections added after the offer went out (someone joined meanwhile) are not in this answer: the next offer has them.
        List<MediaSection> answered = endpoint.sections().stream().filter(MediaSection::isOffered).toList();
        for (MediaSection section : answered) {
            if (answer.mediaByMid(section.mid()).isEmpty()) {
                throw new NegotiationException("bad-sdp", "the answer lacks m-section " + section.mid());
            }
        }
        endpoint.transport().setRemoteParameters(ufrag, fingerprints);
        for (MediaSection section : answered) {
            MediaDescription m = answer.mediaByMid(section.mid()).orElseThrow();
            Direction direction = answer.effective(m).direction();
            if (section.role() == MediaSection.Role.PUBLISH) {
                boolean sends = !m.isRejected() && direction.sends();
                if (sends && section.producer() == null) {
                    createBrowserProducer(endpoint, section, m, ctx);
                } else if (!sends && section.producer() != null) {
                    endpoint.removeProducer(section);
                }
            } else if (section.role() == MediaSection.Role.CONSUME && !section.isFinished()
                    && !m.isRejected() && direction.receives()) {
                section.consumer().onNegotiated(ctx);
            }
        }
    }

    private void createBrowserProducer(Endpoint endpoint, MediaSection section, MediaDescription m,
                                       LoopContext ctx) {
        for (RtpCodec codec : m.codecs()) {
            if (codec.isRtx()) {
                continue;
            }
            RtpCodecSpec spec = RtpCodecSpec.canonical(codec.encodingName());
            if (spec == null || spec.kind() != section.kind() || spec.payloadType() != codec.payloadType()) {
                continue;
            }
            int rtxPt = rtxFor(m, codec.payloadType());
            if (rtxPt != spec.rtxPayloadType()) {
                spec = spec.withoutRtx();
                rtxPt = -1;
            }
            long[] ssrcs = announcedSsrcs(m);
            Producer producer = new Producer(endpoint.id() + "-" + section.mid(), section.kind(), endpoint,
                    endpoint.participantId() + "-" + section.kind().sdpName(), spec, codec.payloadType(), rtxPt,
                    null, ssrcAllocator.getAsInt(), spec.hasRtx() ? ssrcAllocator.getAsInt() : 0);
            endpoint.addProducer(section, producer, (int) ssrcs[0], (int) ssrcs[1], ctx);
            return;
        }
    }

    // ------------------------------------------------------------------ WHIP: the client offers and publishes

    public String answerWhip(Endpoint endpoint, SessionDescription offer, LoopContext ctx) throws NegotiationException {
        List<DtlsFingerprint> fingerprints = checkClientOffer(offer);
        SessionDescription answer = session(1);
        List<String> mids = new ArrayList<>();
        List<Runnable> producerStarts = new ArrayList<>();
        int index = 0;
        for (MediaDescription offered : offer.media()) {
            String mid = offered.mid().orElse(String.valueOf(index));
            index++;
            MediaKind kind = MediaKind.fromSdp(offered.media());
            Direction direction = offer.effective(offered).direction();
            RtpCodec chosen = kind == null || offered.isRejected() || !offered.isRtp() || !direction.sends()
                    ? null : chooseCodec(offered, kind);
            if (chosen == null) {
                answer.addMedia(rejected(offered, mid));
                continue;
            }
            RtpCodecSpec spec = RtpCodecSpec.canonical(chosen.encodingName()).withFmtp(chosen.fmtp() == null ? "" : chosen.fmtp());
            int rtxPt = rtxFor(offered, chosen.payloadType());
            if (rtxPt < 0) {
                spec = spec.withoutRtx();
            }
            byte[] extensionMap = new byte[256];
            MediaDescription m = newMedia(kind, mid, endpoint, Setup.PASSIVE);
            m.setDirection(Direction.RECVONLY);
            for (HeaderExtension extension : offer.effective(offered).extmaps()) {
                int canonical = canonicalExtensionId(kind, extension.uri());
                if (canonical > 0 && extension.id() < extensionMap.length) {
                    extensionMap[extension.id()] = (byte) canonical;
                    m.addExtmap(HeaderExtension.of(extension.id(), extension.uri()));
                }
            }
            m.setRtcpRsize(offered.rtcpRsize());
            m.addCodec(chosen.withFeedback(supportedFeedback(chosen, kind)));
            if (rtxPt >= 0) {
                m.addCodec(offered.codec(rtxPt).orElseThrow());
            }
            answer.addMedia(m);
            mids.add(mid);
            MediaSection section = endpoint.addSection(kind, MediaSection.Role.PUBLISH, mid);
            long[] ssrcs = announcedSsrcs(offered);
            RtpCodecSpec producerSpec = spec;
            int incomingRtx = rtxPt;
            producerStarts.add(() -> endpoint.addProducer(section, new Producer(endpoint.id() + "-" + mid, kind,
                    endpoint, endpoint.participantId() + "-" + kind.sdpName(), producerSpec, chosen.payloadType(),
                    incomingRtx, extensionMap, ssrcAllocator.getAsInt(),
                    producerSpec.hasRtx() ? ssrcAllocator.getAsInt() : 0), (int) ssrcs[0], (int) ssrcs[1], ctx));
        }
        if (mids.isEmpty()) {
            throw new NegotiationException("bad-sdp", "the offer has no audio or video the relay can receive "
                    + "(it takes Opus, and " + videoCodecs.stream().map(RtpCodecSpec::name).toList() + ")");
        }
        answer.setBundle(mids);
        endpoint.transport().setRemoteParameters(offer.effective(offer.media().get(0)).iceUfrag().orElseThrow(), fingerprints);
        producerStarts.forEach(Runnable::run);
        return SdpWriter.write(answer);
    }

    // ------------------------------------------------------------------ WHEP: the client offers and plays

    /** Reads the offer's receiving sections; the answer is written once the router attached the consumers. */
    public void prepareWhep(Endpoint endpoint, SessionDescription offer) throws NegotiationException {
        List<DtlsFingerprint> fingerprints = checkClientOffer(offer);
        endpoint.transport().setRemoteParameters(offer.effective(offer.media().get(0)).iceUfrag().orElseThrow(), fingerprints);
        int index = 0;
        for (MediaDescription offered : offer.media()) {
            String mid = offered.mid().orElse(String.valueOf(index));
            index++;
            MediaKind kind = MediaKind.fromSdp(offered.media());
            boolean usable = kind != null && !offered.isRejected() && offered.isRtp()
                    && offer.effective(offered).direction().receives();
            endpoint.addSection(kind == null ? MediaKind.AUDIO : kind,
                    usable ? MediaSection.Role.CONSUME : MediaSection.Role.REJECTED, mid);
        }
    }

    /** Before the consumers attach: the payload type maps from the producers' codecs to what the client offered. */
    public void mapWhepPayloadTypes(Endpoint endpoint, SessionDescription offer, List<Producer> candidates) {
        for (MediaSection section : endpoint.sections()) {
            if (section.role() != MediaSection.Role.CONSUME) {
                continue;
            }
            MediaDescription offered = offer.mediaByMid(section.mid()).orElse(null);
            Producer producer = candidates.stream().filter(p -> p.kind() == section.kind()).findFirst().orElse(null);
            if (offered == null || producer == null) {
                continue;
            }
            RtpCodec match = offered.codecs().stream().filter(c -> !c.isRtx() && c.is(producer.codec().name()))
                    .findFirst().orElse(null);
            if (match == null) {
                continue;
            }
            int[] ptMap = new int[128];
            Arrays.fill(ptMap, -1);
            ptMap[producer.codec().payloadType()] = match.payloadType();
            int clientRtx = rtxFor(offered, match.payloadType());
            if (producer.codec().hasRtx() && clientRtx >= 0) {
                ptMap[producer.codec().rtxPayloadType()] = clientRtx;
            }
            section.setConsumerMaps(ptMap, new byte[256]);
        }
    }

    public String answerWhep(Endpoint endpoint, SessionDescription offer) throws NegotiationException {
        SessionDescription answer = session(1);
        List<String> mids = new ArrayList<>();
        boolean any = false;
        for (MediaSection section : endpoint.sections()) {
            MediaDescription offered = offer.mediaByMid(section.mid()).orElseThrow();
            Consumer consumer = section.consumer();
            if (section.role() != MediaSection.Role.CONSUME || consumer == null) {
                answer.addMedia(rejected(offered, section.mid()));
                continue;
            }
            Producer producer = consumer.producer();
            int[] ptMap = section.consumerPayloadTypeMap();
            int clientPt = ptMap[producer.codec().payloadType()];
            RtpCodec clientCodec = offered.codec(clientPt).orElseThrow();
            MediaDescription m = newMedia(section.kind(), section.mid(), endpoint, Setup.PASSIVE);
            m.setDirection(Direction.SENDONLY);
            m.setRtcpRsize(offered.rtcpRsize());
            m.addCodec(clientCodec.withFeedback(supportedFeedback(clientCodec, section.kind())));
            boolean rtx = producer.codec().hasRtx() && ptMap[producer.codec().rtxPayloadType()] >= 0;
            if (rtx) {
                m.addCodec(offered.codec(ptMap[producer.codec().rtxPayloadType()]).orElseThrow());
            }
            addSendStreams(m, producer, rtx);
            answer.addMedia(m);
            mids.add(section.mid());
            any = true;
        }
        if (!any) {
            throw new NegotiationException("not-found", "nothing to play: the participant publishes no track the "
                    + "offer can receive");
        }
        answer.setBundle(mids);
        return SdpWriter.write(answer);
    }

    // ------------------------------------------------------------------ shared pieces

    private SessionDescription session(long version) {
        SessionDescription sdp = new SessionDescription(Origin.of(sessionId, version));
        sdp.setIceLite(true);
        sdp.setMsidSemantic(MsidSemantic.wmsAll());
        return sdp;
    }

    private MediaDescription newMedia(MediaKind kind, String mid, Endpoint endpoint, Setup setup) {
        MediaDescription m = new MediaDescription(kind.sdpName(), 9, MediaDescription.UDP_TLS_RTP_SAVPF);
        m.setConnection(Connection.UNSPECIFIED_IP4);
        m.setIceCredentials(endpoint.transport().localIce().ufrag(), endpoint.transport().localIce().password());
        m.setFingerprint(fingerprint);
        m.setSetup(setup);
        m.setMid(mid);
        m.setRtcpMux(true);
        if (kind == MediaKind.VIDEO) {
            m.setRtcpRsize(true);
        }
        candidates.forEach(m::addCandidate);
        m.setEndOfCandidates(true);
        return m;
    }

    private static MediaDescription rejected(MediaDescription offered, String mid) {
        MediaDescription m = new MediaDescription(offered.media(), 0, offered.protocol());
        m.setFormats(offered.formats());
        m.setConnection(Connection.UNSPECIFIED_IP4);
        m.setMid(mid);
        m.setDirection(Direction.INACTIVE);
        return m;
    }

    private static void addExtensions(MediaDescription m, MediaKind kind) {
        if (kind == MediaKind.AUDIO) {
            m.addExtmap(HeaderExtension.of(AUDIO_LEVEL_ID, HeaderExtension.SSRC_AUDIO_LEVEL));
        } else {
            m.addExtmap(HeaderExtension.of(VIDEO_ORIENTATION_ID, VIDEO_ORIENTATION));
        }
    }

    private static int canonicalExtensionId(MediaKind kind, String uri) {
        if (kind == MediaKind.AUDIO && HeaderExtension.SSRC_AUDIO_LEVEL.equals(uri)) {
            return AUDIO_LEVEL_ID;
        }
        if (kind == MediaKind.VIDEO && VIDEO_ORIENTATION.equals(uri)) {
            return VIDEO_ORIENTATION_ID;
        }
        return 0;
    }

    private static void addCodec(MediaDescription m, RtpCodecSpec spec, int payloadType, int rtxPayloadType) {
        RtpCodec codec = RtpCodec.of(payloadType, spec.name(), spec.clockRate());
        if (spec.channels() > 0) {
            codec = codec.withChannels(spec.channels());
        }
        if (spec.fmtp() != null && !spec.fmtp().isEmpty()) {
            codec = codec.withFmtp(spec.fmtp());
        }
        codec = codec.withFeedback(spec.kind() == MediaKind.VIDEO
                ? List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI)
                : List.of());
        m.addCodec(codec);
        if (rtxPayloadType >= 0) {
            m.addCodec(RtpCodec.of(rtxPayloadType, "rtx", spec.clockRate()).withFmtp("apt=" + payloadType));
        }
    }

    private static List<RtcpFeedback> supportedFeedback(RtpCodec codec, MediaKind kind) {
        if (kind != MediaKind.VIDEO) {
            return List.of();
        }
        return codec.feedback().stream().filter(fb -> fb.equals(RtcpFeedback.GOOG_REMB) || fb.equals(RtcpFeedback.CCM_FIR)
                || fb.equals(RtcpFeedback.NACK) || fb.equals(RtcpFeedback.NACK_PLI)).toList();
    }

    private static void addSendStreams(MediaDescription m, Producer producer, boolean rtx) {
        String streamId = producer.endpoint().participantId();
        String trackId = producer.trackId();
        String cname = producer.endpoint().cname();
        m.addMsid(new Msid(streamId, trackId));
        long primary = Integer.toUnsignedLong(producer.outSsrc());
        if (rtx && producer.outRtxSsrc() != 0) {
            long repair = Integer.toUnsignedLong(producer.outRtxSsrc());
            m.addSsrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(primary, repair)));
            m.addSsrc(primary, cname);
            m.addSsrcAttribute(new SsrcAttribute(primary, "msid", streamId + " " + trackId));
            m.addSsrc(repair, cname);
            m.addSsrcAttribute(new SsrcAttribute(repair, "msid", streamId + " " + trackId));
        } else {
            m.addSsrc(primary, cname);
            m.addSsrcAttribute(new SsrcAttribute(primary, "msid", streamId + " " + trackId));
        }
    }

    private RtpCodec chooseCodec(MediaDescription offered, MediaKind kind) {
        List<RtpCodecSpec> preference = kind == MediaKind.AUDIO ? List.of(RtpCodecSpec.OPUS) : videoCodecs;
        for (RtpCodecSpec spec : preference) {
            for (RtpCodec codec : offered.codecs()) {
                if (!codec.is(spec.name())) {
                    continue;
                }
                if (codec.is("H264") && !"1".equals(codec.parameter("packetization-mode").orElse("0"))) {
                    continue;
                }
                return codec;
            }
        }
        return null;
    }

    private static int rtxFor(MediaDescription m, int payloadType) {
        for (RtpCodec codec : m.codecs()) {
            if (codec.isRtx() && codec.apt().isPresent() && codec.apt().getAsInt() == payloadType) {
                return codec.payloadType();
            }
        }
        return -1;
    }

    /** The SSRCs a section announces: {primary, rtx}, zero where unknown. */
    private static long[] announcedSsrcs(MediaDescription m) {
        for (SsrcGroup group : m.ssrcGroups()) {
            if (SsrcGroup.FID.equals(group.semantics()) && group.ssrcs().size() == 2) {
                return new long[] {group.ssrcs().get(0), group.ssrcs().get(1)};
            }
        }
        List<Ssrc> ssrcs = m.ssrcs();
        return new long[] {ssrcs.isEmpty() ? 0 : ssrcs.get(0).id(), 0};
    }

    private List<DtlsFingerprint> checkClientOffer(SessionDescription offer) throws NegotiationException {
        if (offer.media().isEmpty()) {
            throw new NegotiationException("bad-sdp", "the offer has no m-sections");
        }
        EffectiveMedia first = offer.effective(offer.media().get(0));
        if (first.setup().isPresent() && first.setup().get() == Setup.PASSIVE) {
            throw new NegotiationException("bad-sdp", "the relay is always the DTLS server: offer a=setup:actpass or active");
        }
        if (first.iceUfrag().isEmpty() || first.icePwd().isEmpty()) {
            throw new NegotiationException("bad-sdp", "the offer lacks a=ice-ufrag or a=ice-pwd");
        }
        return fingerprints(first);
    }

    private static List<DtlsFingerprint> fingerprints(EffectiveMedia media) throws NegotiationException {
        List<DtlsFingerprint> result = new ArrayList<>();
        for (Fingerprint f : media.fingerprints()) {
            if (DtlsFingerprint.isSupportedAlgorithm(f.algorithm())) {
                try {
                    result.add(DtlsFingerprint.parse(f.algorithm() + " " + f.value()));
                } catch (IllegalArgumentException e) {
                    throw new NegotiationException("bad-sdp", "unreadable a=fingerprint: " + e.getMessage());
                }
            }
        }
        if (result.isEmpty()) {
            throw new NegotiationException("bad-sdp", "no a=fingerprint with a supported hash (sha-256 or stronger)");
        }
        return result;
    }

    /**
     * Parses a client's SDP, within the length limit. Thread-safe and independent of any transport: the relay calls it
     * on the caller's thread, so parsing never holds up the loop.
     */
    public static SessionDescription parse(String text) throws NegotiationException {
        if (text == null || text.isBlank()) {
            throw new NegotiationException("bad-sdp", "empty SDP");
        }
        if (text.length() > MAX_SDP_LENGTH) {
            throw new NegotiationException("bad-sdp", "SDP longer than " + MAX_SDP_LENGTH + " characters");
        }
        try {
            return SdpParser.parse(text);
        } catch (SdpParseException e) {
            throw new NegotiationException("bad-sdp", e.getMessage());
        }
    }
}
