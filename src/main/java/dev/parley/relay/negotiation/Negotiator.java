package dev.parley.relay.negotiation;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.router.Consumer;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.router.TrackSource;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.EffectiveMedia;
import dev.parley.relay.sdp.Fingerprint;
import dev.parley.relay.sdp.HeaderExtension;
import dev.parley.relay.sdp.RtcpFeedback;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.RtpCodec;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
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

    private final SdpBuilder sdp;
    private final List<RtpCodecSpec> videoCodecs;
    private final IntSupplier ssrcAllocator;
    private final boolean simulcast;

    /**
     * @param videoCodecs video codecs in the order the relay prefers them; publishers send the first they support
     * @param ssrcAllocator hands out relay-wide unique SSRCs for what the relay sends
     */
    public Negotiator(String sdpFingerprint, List<IceCandidate> candidates, List<RtpCodecSpec> videoCodecs,
                      IntSupplier ssrcAllocator, long sessionId) {
        this(sdpFingerprint, candidates, videoCodecs, ssrcAllocator, sessionId, true);
    }

    /** @param simulcast whether browsers are asked to publish video in three layers */
    public Negotiator(String sdpFingerprint, List<IceCandidate> candidates, List<RtpCodecSpec> videoCodecs,
                      IntSupplier ssrcAllocator, long sessionId, boolean simulcast) {
        String[] parts = sdpFingerprint.split(" ", 2);
        this.sdp = new SdpBuilder(new Fingerprint(parts[0], parts[1]), candidates, sessionId);
        this.videoCodecs = List.copyOf(videoCodecs);
        this.ssrcAllocator = ssrcAllocator;
        this.simulcast = simulcast;
    }

    // ------------------------------------------------------------------ browsers: the relay offers

    /** Adds the two sections a browser publishes into (audio, video); a screen share gets a third when it starts. */
    public void preparePublishSections(Endpoint endpoint) {
        endpoint.addSection(MediaKind.AUDIO, MediaSection.Role.PUBLISH, null);
        endpoint.addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null);
    }

    /** Writes the next offer for a browser and marks its sections offered. */
    public TransportOffer offer(Endpoint endpoint, OfferState offers) {
        int version = offers.beginOffer();
        SessionDescription description = sdp.session(version);
        String audioMid = null;
        String videoMid = null;
        String screenMid = null;
        List<TransportOffer.Track> tracks = new ArrayList<>();
        List<String> mids = new ArrayList<>();
        for (MediaSection section : endpoint.sections()) {
            MediaDescription m = sdp.newMedia(section.kind(), section.mid(), endpoint, Setup.ACTPASS);
            if (section.role() == MediaSection.Role.PUBLISH) {
                section.markOffered();
                m.setDirection(Direction.RECVONLY);
                SdpBuilder.addExtensions(m, section.kind());
                SdpBuilder.addTransportCc(m);
                boolean screen = section.source() == TrackSource.SCREEN;
                if (simulcast && section.kind() == MediaKind.VIDEO && !screen) {
                    SdpBuilder.addSimulcastReceive(m); // a screen share comes as one stream, at full detail
                }
                for (RtpCodecSpec codec : section.kind() == MediaKind.AUDIO ? List.of(RtpCodecSpec.OPUS) : videoCodecs) {
                    SdpBuilder.addCodec(m, codec, codec.payloadType(), codec.rtxPayloadType(), true);
                }
                if (section.kind() == MediaKind.AUDIO) {
                    audioMid = section.mid();
                } else if (screen) {
                    screenMid = section.mid();
                } else {
                    videoMid = section.mid();
                }
            } else {
                Consumer consumer = section.consumer();
                Producer producer = consumer.producer();
                SdpBuilder.addCodec(m, producer.codec(), producer.codec().payloadType(), producer.codec().rtxPayloadType(),
                        true);
                boolean active = !section.isFinished();
                section.markOffered(version, !active);
                if (active) {
                    m.setDirection(Direction.SENDONLY);
                    SdpBuilder.addExtensions(m, section.kind());
                    SdpBuilder.addTransportCc(m);
                    SdpBuilder.addSendStreams(m, producer, true);
                } else {
                    m.setDirection(Direction.INACTIVE);
                }
                tracks.add(new TransportOffer.Track(section.mid(), producer.participantId(),
                        section.kind(), producer.source(), active));
            }
            description.addMedia(m);
            mids.add(section.mid());
        }
        description.setBundle(mids);
        return new TransportOffer(version, description, audioMid, videoMid, screenMid, List.copyOf(tracks));
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
        List<DtlsFingerprint> fingerprints = ClientSdp.fingerprints(first);
        // Sections added after the offer went out (someone joined meanwhile) are not in this answer: the next offer has them.
        List<MediaSection> answered = endpoint.sections().stream().filter(MediaSection::isOffered).toList();
        for (MediaSection section : answered) {
            if (answer.mediaByMid(section.mid()).isEmpty()) {
                throw new NegotiationException("bad-sdp", "the answer lacks m-section " + section.mid());
            }
        }
        endpoint.webRtcTransport().setRemoteParameters(ufrag, fingerprints);
        for (MediaSection section : answered) {
            MediaDescription m = answer.mediaByMid(section.mid()).orElseThrow();
            section.onAnswered(m.isRejected());
            Direction direction = answer.effective(m).direction();
            if (section.role() == MediaSection.Role.PUBLISH) {
                boolean sends = !m.isRejected() && direction.sends();
                if (section.source() == TrackSource.SCREEN && !endpoint.screenShareAllowed()) {
                    sends = false; // a share the web app did not allow (or stopped) is not received
                }
                if (sends && section.producer() == null) {
                    createBrowserProducer(endpoint, section, m, ctx);
                } else if (!sends && section.producer() != null) {
                    endpoint.removeProducer(section);
                }
            } else if (section.role() == MediaSection.Role.CONSUME && !section.isFinished()
                    && !m.isRejected() && direction.receives()) {
                if (ClientSdp.extensionId(answer.effective(m), HeaderExtension.TRANSPORT_WIDE_CC)
                        == SdpBuilder.TRANSPORT_CC_ID) {
                    endpoint.enableTransportCc(ctx);
                }
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
            int rtxPt = ClientSdp.rtxFor(m, codec.payloadType());
            if (rtxPt != spec.rtxPayloadType()) {
                spec = spec.withoutRtx();
                rtxPt = -1;
            }
            long[] ssrcs = ClientSdp.announcedSsrcs(m);
            boolean layered = simulcast && section.source() != TrackSource.SCREEN;
            List<String> rids = layered ? ClientSdp.simulcastLayers(m, SdpBuilder.SIMULCAST_RIDS) : List.of();
            // A client that munges its SDP the older way lists its layers as an SSRC group instead of by RID.
            List<long[]> grouped = layered && rids.isEmpty() && section.kind() == MediaKind.VIDEO
                    && ClientSdp.simulcastSsrcs(m).size() <= SdpBuilder.SIMULCAST_RIDS.size()
                    ? ClientSdp.simulcastSsrcs(m) : List.of();
            if (!grouped.isEmpty()) {
                rids = SdpBuilder.SIMULCAST_RIDS.subList(0, grouped.size()); // names for the layers, not in packets
            }
            String track = section.source() == TrackSource.SCREEN ? "screen" : section.kind().sdpName();
            Producer producer = new Producer(endpoint.id() + "-" + section.mid(), section.kind(), section.source(),
                    endpoint, endpoint.participantId() + "-" + track, spec, codec.payloadType(), rtxPt, null,
                    ssrcAllocator.getAsInt(), spec.hasRtx() ? ssrcAllocator.getAsInt() : 0, rids);
            if (grouped.isEmpty()) {
                endpoint.addProducer(section, producer, (int) ssrcs[0], (int) ssrcs[1], ctx);
            } else {
                endpoint.addProducer(section, producer, grouped, ctx);
            }
            return;
        }
    }

    // ------------------------------------------------------------------ WHIP: the client offers and publishes

    /** Answers a WHIP offer and starts its producers; the answer is returned as a description, to be written off the loop. */
    public SessionDescription answerWhip(Endpoint endpoint, SessionDescription offer, LoopContext ctx)
            throws NegotiationException {
        List<DtlsFingerprint> fingerprints = ClientSdp.checkClientOffer(offer);
        SessionDescription answer = sdp.session(1);
        List<String> mids = new ArrayList<>();
        List<Runnable> producerStarts = new ArrayList<>();
        int index = 0;
        for (MediaDescription offered : offer.media()) {
            String mid = offered.mid().orElse(String.valueOf(index));
            index++;
            MediaKind kind = MediaKind.fromSdp(offered.media());
            Direction direction = offer.effective(offered).direction();
            RtpCodec chosen = kind == null || offered.isRejected() || !offered.isRtp() || !direction.sends()
                    ? null : ClientSdp.chooseCodec(offered, kind, videoCodecs);
            if (chosen == null) {
                answer.addMedia(SdpBuilder.rejected(offered, mid));
                continue;
            }
            RtpCodecSpec spec = RtpCodecSpec.canonical(chosen.encodingName()).withFmtp(chosen.fmtp() == null ? "" : chosen.fmtp());
            int rtxPt = ClientSdp.rtxFor(offered, chosen.payloadType());
            if (rtxPt < 0) {
                spec = spec.withoutRtx();
            }
            byte[] extensionMap = new byte[256];
            MediaDescription m = sdp.newMedia(kind, mid, endpoint, Setup.PASSIVE);
            m.setDirection(Direction.RECVONLY);
            for (HeaderExtension extension : offer.effective(offered).extmaps()) {
                int canonical = SdpBuilder.canonicalExtensionId(kind, extension.uri());
                if (canonical > 0 && extension.id() < extensionMap.length) {
                    extensionMap[extension.id()] = (byte) canonical;
                    m.addExtmap(HeaderExtension.of(extension.id(), extension.uri()));
                }
            }
            m.setRtcpRsize(offered.rtcpRsize());
            m.addCodec(chosen.withFeedback(SdpBuilder.supportedFeedback(chosen, kind)));
            if (rtxPt >= 0) {
                m.addCodec(offered.codec(rtxPt).orElseThrow());
            }
            answer.addMedia(m);
            mids.add(mid);
            MediaSection section = endpoint.addSection(kind, MediaSection.Role.PUBLISH, mid);
            long[] ssrcs = ClientSdp.announcedSsrcs(offered);
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
        endpoint.webRtcTransport().setRemoteParameters(offer.effective(offer.media().get(0)).iceUfrag().orElseThrow(), fingerprints);
        producerStarts.forEach(Runnable::run);
        return answer;
    }

    // ------------------------------------------------------------------ WHEP: the client offers and plays

    /** Reads the offer's receiving sections; the answer is written once the router attached the consumers. */
    public void prepareWhep(Endpoint endpoint, SessionDescription offer) throws NegotiationException {
        List<DtlsFingerprint> fingerprints = ClientSdp.checkClientOffer(offer);
        endpoint.webRtcTransport().setRemoteParameters(offer.effective(offer.media().get(0)).iceUfrag().orElseThrow(), fingerprints);
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

    /**
     * Before the consumers attach: the payload type maps from the producers' codecs to what the client offered, and
     * the transport-wide sequence number's id when the client offered that extension (then what the relay sends it is
     * numbered for congestion control, as for browsers).
     */
    public void mapWhepPayloadTypes(Endpoint endpoint, SessionDescription offer, List<Producer> candidates,
                                    LoopContext ctx) {
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
            int clientRtx = ClientSdp.rtxFor(offered, match.payloadType());
            if (producer.codec().hasRtx() && clientRtx >= 0) {
                ptMap[producer.codec().rtxPayloadType()] = clientRtx;
            }
            byte[] extensionMap = new byte[256];
            int transportCc = ClientSdp.extensionId(offer.effective(offered), HeaderExtension.TRANSPORT_WIDE_CC);
            if (transportCc >= 1 && transportCc <= 14) { // forwarded packets carry one-byte elements
                extensionMap[SdpBuilder.TRANSPORT_CC_ID] = (byte) transportCc;
                endpoint.enableTransportCc(ctx);
            }
            section.setConsumerMaps(ptMap, extensionMap);
        }
    }

    /** Answers a WHEP offer once its consumers are attached; written off the loop like a WHIP answer. */
    public SessionDescription answerWhep(Endpoint endpoint, SessionDescription offer) throws NegotiationException {
        SessionDescription answer = sdp.session(1);
        List<String> mids = new ArrayList<>();
        boolean any = false;
        for (MediaSection section : endpoint.sections()) {
            MediaDescription offered = offer.mediaByMid(section.mid()).orElseThrow();
            Consumer consumer = section.consumer();
            if (section.role() != MediaSection.Role.CONSUME || consumer == null) {
                answer.addMedia(SdpBuilder.rejected(offered, section.mid()));
                continue;
            }
            Producer producer = consumer.producer();
            int[] ptMap = section.consumerPayloadTypeMap();
            int clientPt = ptMap[producer.codec().payloadType()];
            RtpCodec clientCodec = offered.codec(clientPt).orElseThrow();
            MediaDescription m = sdp.newMedia(section.kind(), section.mid(), endpoint, Setup.PASSIVE);
            m.setDirection(Direction.SENDONLY);
            m.setRtcpRsize(offered.rtcpRsize());
            List<RtcpFeedback> feedback = new ArrayList<>(SdpBuilder.supportedFeedback(clientCodec, section.kind()));
            int transportCc = section.consumerExtensionMap()[SdpBuilder.TRANSPORT_CC_ID] & 0xFF;
            if (transportCc != 0) {
                m.addExtmap(HeaderExtension.of(transportCc, HeaderExtension.TRANSPORT_WIDE_CC));
                if (clientCodec.feedback().contains(RtcpFeedback.TRANSPORT_CC)) {
                    feedback.add(RtcpFeedback.TRANSPORT_CC);
                }
            }
            m.addCodec(clientCodec.withFeedback(feedback));
            boolean rtx = producer.codec().hasRtx() && ptMap[producer.codec().rtxPayloadType()] >= 0;
            if (rtx) {
                m.addCodec(offered.codec(ptMap[producer.codec().rtxPayloadType()]).orElseThrow());
            }
            SdpBuilder.addSendStreams(m, producer, rtx);
            answer.addMedia(m);
            mids.add(section.mid());
            any = true;
        }
        if (!any) {
            throw new NegotiationException("not-found", "nothing to play: the participant publishes no track the "
                    + "offer can receive");
        }
        answer.setBundle(mids);
        return answer;
    }

    /**
     * Parses a client's SDP, within the length limit. Thread-safe and independent of any transport: the relay calls it
     * on the caller's thread, so parsing never holds up the loop.
     */
    public static SessionDescription parse(String text) throws NegotiationException {
        return ClientSdp.parse(text);
    }
}
