package dev.parley.relay.router;

import dev.parley.relay.bwe.ArrivalFeedback;
import dev.parley.relay.rtcp.FeedbackPacket;
import dev.parley.relay.rtcp.FullIntraRequest;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.Remb;
import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.transport.LinkTransport;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.Transport;
import dev.parley.relay.transport.TransportHandler;
import dev.parley.relay.transport.WebRtcTransport;
import dev.parley.relay.util.CopyOnWriteIntMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transport as its room's router sees it (Jitsi Videobridge's word): the participant's producers, found by the
 * SSRCs they arrive on; its consumers, found by the SSRCs the relay sends them with; the m-sections they sit in; and
 * the RTCP that concerns them. Loop thread only.
 */
public final class Endpoint implements TransportHandler {

    public enum Kind {
        /** A browser in a meeting: publishes and receives everyone else. */
        BROWSER,
        /** A WHIP ingest client: publishes only. */
        WHIP,
        /** A WHEP player: receives one participant only. */
        WHEP,
        /**
         * Another relay that carries the room too (cascading): receives every track published here, once, and
         * publishes the far relay's tracks here, each as its own participant's. Its transport is a
         * {@link LinkTransport}, and its {@link Link} handles what arrives.
         */
        LINK
    }

    /** What the endpoint tells its owner. */
    public interface Listener {

        /** Its m-sections changed (a consumer came or went): a browser needs a new offer. */
        void onSectionsChanged();

        void onConnected();

        /** The transport closed; the endpoint has already left its router. */
        void onClosed(String reason);

        /** A link endpoint's tracks sent to the far relay changed (see {@link Link#sent}). */
        default void onLinkTracksChanged() {
        }

        /**
         * The videos this subscriber is not sent because its link cannot carry them changed (see
         * {@link LayerAllocator}).
         *
         * @param mids the m-sections of the paused videos; empty when none is
         */
        default void onPausedVideo(List<String> mids) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    /** Calls for padding per tick: one sends what a probe cluster owes, the rest make up its five packets. */
    private static final int MAX_PADDING_ROUNDS = 8;

    private final Kind kind;
    private final String participantId;
    private final String cname;
    private final Transport transport;
    /** A link endpoint's handling of its transport; null for every other kind. */
    private final Link link;
    private final Router router;
    private final int rtcpSsrc;
    private final Listener listener;
    private final ReceiverReports reports;
    private final CopyOnWriteIntMap<Layer> layersBySsrc = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<Consumer> consumersByOutSsrc = new CopyOnWriteIntMap<>();
    private final List<Producer> producers = new ArrayList<>();
    private final List<MediaSection> sections = new ArrayList<>();
    private int nextMid;
    private String whepTarget;
    /** A WHEP player that plays whoever speaks, its consumers changing producer with the speaker. */
    private boolean followsSpeaker;
    private boolean closed;
    /** Whether the participant may publish a screen share now (the web app decides; a browser cannot on its own). */
    private boolean screenShareAllowed;
    private final LayerAllocator allocator = new LayerAllocator(this);
    private final CongestionControl congestion = new CongestionControl();
    /** Arrival times reported back to a publisher that sends transport-wide sequence numbers; made at the first. */
    private ArrivalFeedback arrivals;

    /**
     * @param rtcpSsrc the SSRC the relay's own RTCP to this peer carries
     * @param bitrateCap the REMB sent to a publisher, bit/s
     */
    public Endpoint(Kind kind, String participantId, Transport transport, Router router, int rtcpSsrc,
                    long bitrateCap, Listener listener, long nowNanos) {
        this(kind, participantId, transport, router, rtcpSsrc, bitrateCap, listener, nowNanos, false);
    }

    /** @param hub for a link endpoint: whether its link is a hub's ({@link Link#isHub}) */
    public Endpoint(Kind kind, String participantId, Transport transport, Router router, int rtcpSsrc,
                    long bitrateCap, Listener listener, long nowNanos, boolean hub) {
        this.kind = kind;
        this.participantId = participantId;
        this.cname = "parley-" + participantId;
        this.transport = transport;
        this.router = router;
        this.rtcpSsrc = rtcpSsrc;
        this.listener = listener;
        this.reports = new ReceiverReports(rtcpSsrc, cname, bitrateCap, nowNanos);
        if ((kind == Kind.LINK) != (transport instanceof LinkTransport)) {
            throw new IllegalArgumentException("a link endpoint, and only it, has a link transport");
        }
        if (transport instanceof LinkTransport linkTransport) {
            this.link = new Link(this, linkTransport, hub);
            linkTransport.setHandler(link);
        } else {
            this.link = null;
            ((WebRtcTransport) transport).setHandler(this);
        }
    }

    // ---------------------------------------------------------------- media in (TransportHandler)

    @Override
    public void onRtp(PacketBuffer in, RtpPacket rtp, LoopContext ctx) {
        Layer layer = layersBySsrc.get(rtp.ssrc());
        if (layer == null) {
            layer = learnSsrc(rtp);
            if (layer == null) {
                transport.counters().dropped(DropReason.UNKNOWN_SSRC);
                return;
            }
        }
        layer.producer().onRtp(layer, in, rtp, ctx);
    }

    /**
     * A client that did not announce its SSRCs: a simulcast layer is named by the RID (or, for its RTX, the repaired
     * RID) header extension of its first packets (RFC 8852); a single stream is bound to the producer whose payload
     * type it uses.
     */
    private Layer learnSsrc(RtpPacket rtp) {
        long rid = rtp.findExtension(Layer.RID_EXTENSION_ID);
        boolean repaired = false;
        if (rid == HeaderExtensions.NOT_FOUND) {
            rid = rtp.findExtension(Layer.REPAIRED_RID_EXTENSION_ID);
            repaired = true;
        }
        for (Producer producer : producers) {
            if (!producer.acceptsPayloadType(rtp.payloadType())) {
                continue;
            }
            boolean rtx = producer.isRtxPayloadType(rtp.payloadType());
            Layer layer;
            if (producer.isSimulcast()) {
                if (rid == HeaderExtensions.NOT_FOUND || repaired != rtx) {
                    continue;
                }
                layer = producer.layerByRid(rtp.buffer(), HeaderExtensions.valueOffset(rid),
                        HeaderExtensions.valueLength(rid));
            } else {
                layer = producer.layer(0);
            }
            if (layer != null && producer.bindSsrc(layer, rtp.ssrc(), rtx)) {
                layersBySsrc.put(rtp.ssrc(), layer);
                return layer;
            }
        }
        return null;
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len, int type, LoopContext ctx) {
        switch (type) {
            case RtcpHeader.SR -> {
                SenderReport sr = ctx.senderReportView();
                if (sr.wrap(buf, off, len)) {
                    Layer layer = layersBySsrc.get(sr.senderSsrc());
                    if (layer != null) {
                        layer.producer().onSenderReport(layer, buf, off, sr, ctx);
                    }
                }
            }
            case RtcpHeader.RTPFB, RtcpHeader.PSFB -> onFeedback(buf, off, len, ctx);
            default -> {
                // Receiver reports, SDES, BYE and APP carry nothing the relay acts on.
            }
        }
    }

    /** Feedback from a subscriber about what the relay sends it: keyframe requests and NACKs go to the publisher. */
    private void onFeedback(byte[] buf, int off, int len, LoopContext ctx) {
        FeedbackPacket fb = ctx.feedback();
        if (!fb.wrap(buf, off, len)) {
            transport.counters().dropped(DropReason.MALFORMED_RTCP);
            return;
        }
        if (fb.isPictureLossIndication()) {
            Consumer consumer = consumersByOutSsrc.get(fb.mediaSsrc());
            if (consumer != null) {
                consumer.requestKeyframe(ctx);
            }
        } else if (fb.isFullIntraRequest()) {
            // FIR names its targets in the FCI entries (RFC 5104 4.3.1); the media SSRC field is unused.
            FullIntraRequest fir = ctx.fir();
            if (fir.wrap(buf, off, len)) {
                for (int entry = 0; entry < fir.entryCount(); entry++) {
                    Consumer consumer = consumersByOutSsrc.get(fir.entrySsrc(entry));
                    if (consumer != null) {
                        consumer.requestKeyframe(ctx);
                    }
                }
            }
        } else if (fb.isGenericNack()) {
            Consumer consumer = consumersByOutSsrc.get(fb.mediaSsrc());
            GenericNack nack = ctx.nack();
            // NACKs name the media stream; one naming the RTX stream (whose sequence numbers are the relay's own) is
            // not meaningful (RFC 4588 7) and is ignored.
            if (consumer != null && consumer.producer().kind() == MediaKind.VIDEO
                    && consumer.outSsrc() == fb.mediaSsrc() && nack.wrap(buf, off, len)) {
                int[] lost = ctx.lostScratch();
                consumer.producer().repair(consumer, lost, nack.lostSequenceNumbers(lost, 0), ctx);
            }
        } else if (fb.isTransportCc()) {
            DropReason refused = congestion.onFeedback(buf, off, len, ctx.nowNanos());
            if (refused == null) {
                allocator.onEstimate(congestion.estimate());
            } else {
                transport.counters().dropped(refused);
            }
        } else if (fb.isRemb()) {
            Remb remb = ctx.remb();
            if (remb.wrap(buf, off, len)) {
                allocator.onRemb(remb.bitrate(), ctx.nowNanos());
                congestion.onRemb(remb.bitrate(), ctx.nowNanos());
            }
        }
    }

    @Override
    public void onConnected(LoopContext ctx) {
        log.info("Transport {} ({} {}) connected from {} with {}", transport.id(), kind, participantId,
                transport.selectedAddress(), transport.srtpProfile());
        for (MediaSection section : sections) {
            if (section.consumer() != null) {
                section.consumer().onTransportConnected(ctx);
            }
        }
        listener.onConnected();
    }

    @Override
    public void onTick(LoopContext ctx) {
        for (Producer producer : producers) {
            producer.flushPendingKeyframeRequest(ctx);
        }
        if (transport.isConnected()) {
            reports.maybeSend(producers, transport, ctx);
            allocator.maybeAllocate(ctx);
            sendTransportFeedback(ctx);
            sendProbePadding(ctx);
        }
    }

    /**
     * A running probe's padding goes out on the RTX stream of the first video consumer that can carry it, until the
     * cluster has what it owes now (a few more rounds while it lacks packets; bounded should padding go uncounted).
     */
    private void sendProbePadding(LoopContext ctx) {
        int bytes = congestion.probePaddingBytes(ctx.nowNanos());
        int rounds = 0;
        for (int i = 0; bytes > 0 && i < sections.size(); i++) {
            Consumer consumer = sections.get(i).consumer();
            while (bytes > 0 && rounds++ < MAX_PADDING_ROUNDS && consumer != null && !consumer.isClosed()
                    && consumer.sendPadding(bytes, ctx) > 0) {
                bytes = congestion.probePaddingBytes(ctx.nowNanos());
            }
        }
    }

    /**
     * The subscriber negotiated transport-wide congestion control for what it receives: from now on the relay numbers
     * those packets and estimates its bandwidth from its feedback.
     */
    public void enableTransportCc(LoopContext ctx) {
        congestion.enable(ctx.nowNanos());
    }

    /** Whether what the relay sends this endpoint is numbered for transport-wide congestion control. */
    public boolean receivesTransportCc() {
        return congestion.isNegotiated();
    }

    @Override
    public void onClosed(String reason) {
        log.info("Transport {} ({} {}) closed: {}", transport.id(), kind, participantId, reason);
        closed = true;
        for (MediaSection section : sections) {
            if (section.consumer() != null) {
                section.consumer().close();
            }
        }
        router.removeEndpoint(this);
        producers.clear();
        // Other subscribers' finished sections keep this endpoint through its producers until the sections carry
        // another track: what only served its own feedback goes now.
        congestion.release();
        arrivals = null;
        listener.onClosed(reason);
    }

    /** A publisher's packet carried this transport-wide sequence number (TWCC). */
    void onTransportSequence(int sequence, long nowNanos) {
        if (arrivals == null) {
            arrivals = new ArrivalFeedback();
        }
        arrivals.onPacket(sequence, nowNanos);
    }

    private void sendTransportFeedback(LoopContext ctx) {
        if (arrivals == null || !arrivals.isDue(ctx.nowNanos())) {
            return;
        }
        PacketBuffer out = ctx.control();
        int mediaSsrc = producers.isEmpty() ? 0 : producers.get(0).ssrc();
        int len = arrivals.write(out.buffer(), 0, rtcpSsrc, mediaSsrc, ctx.nowNanos());
        if (len > 0) {
            out.set(0, len);
            transport.sendRtcp(out, ctx);
        }
    }

    // ---------------------------------------------------------------- media graph

    /** Creates the consumer for a producer (the router decided this endpoint receives it). */
    void consume(Producer producer, LoopContext ctx) {
        if (kind == Kind.LINK) {
            link.send(producer);
            return;
        }
        MediaSection section;
        if (kind == Kind.WHEP) {
            section = freeConsumeSection(producer.kind());
            if (section == null) {
                return;
            }
        } else {
            section = releasedSection(producer.kind());
            if (section == null) {
                section = new MediaSection(String.valueOf(nextMid++), producer.kind(), MediaSection.Role.CONSUME);
                sections.add(section);
            }
            listener.onSectionsChanged();
        }
        Consumer consumer = new Consumer(producer, this, section.mid(), section.consumerPayloadTypeMap(),
                section.consumerExtensionMap(), followsSpeaker);
        section.setConsumer(consumer);
        consumersByOutSsrc.put(consumer.outSsrc(), consumer);
        if (consumer.outRtxSsrc() != 0) {
            consumersByOutSsrc.put(consumer.outRtxSsrc(), consumer);
        }
        producer.attach(consumer);
        if (kind == Kind.WHEP) {
            consumer.onNegotiated(ctx);
        }
    }

    /** The first released m-section of that kind (its track ended and the browser answered it inactive), or null. */
    private MediaSection releasedSection(MediaKind mediaKind) {
        for (MediaSection s : sections) {
            if (s.kind() == mediaKind && s.isReleased()) {
                return s;
            }
        }
        return null;
    }

    /** A WHEP player's m-section of that kind that has no consumer yet, or null. */
    MediaSection freeConsumeSection(MediaKind mediaKind) {
        for (MediaSection s : sections) {
            if (s.role() == MediaSection.Role.CONSUME && s.consumer() == null && s.kind() == mediaKind) {
                return s;
            }
        }
        return null;
    }

    /** A consumer ended (its producer closed): the m-section goes inactive at the next offer. */
    void onConsumerClosed(Consumer consumer) {
        consumersByOutSsrc.remove(consumer.outSsrc());
        if (consumer.outRtxSsrc() != 0) {
            consumersByOutSsrc.remove(consumer.outRtxSsrc());
        }
        if (transport instanceof WebRtcTransport webRtc) {
            webRtc.forgetSendSsrc(consumer.outSsrc());
            webRtc.forgetSendSsrc(consumer.outRtxSsrc());
        }
        if (kind == Kind.BROWSER && !closed) {
            listener.onSectionsChanged();
        }
    }

    /** Adds a producer of this endpoint (from an answer or a WHIP offer) and tells the router. */
    public void addProducer(MediaSection section, Producer producer, int announcedSsrc, int announcedRtxSsrc,
                            LoopContext ctx) {
        section.setProducer(producer);
        producers.add(producer);
        // Simulcast layers are told apart by their RIDs in the packets, whatever SSRCs the description lists.
        Layer layer = producer.layer(0);
        if (!producer.isSimulcast() && announcedSsrc != 0 && producer.bindSsrc(layer, announcedSsrc, false)) {
            layersBySsrc.put(announcedSsrc, layer);
        }
        if (!producer.isSimulcast() && announcedRtxSsrc != 0 && producer.bindSsrc(layer, announcedRtxSsrc, true)) {
            layersBySsrc.put(announcedRtxSsrc, layer);
        }
        router.addProducer(producer, ctx);
    }

    /**
     * Adds a simulcast producer whose layers the client announced as an SSRC group (a=ssrc-group:SIM, with FID groups
     * for their RTX), lowest first: each layer is bound to its SSRCs at once, as no RID will name them.
     */
    public void addProducer(MediaSection section, Producer producer, List<long[]> layerSsrcs, LoopContext ctx) {
        section.setProducer(producer);
        producers.add(producer);
        for (int i = 0; i < Math.min(layerSsrcs.size(), producer.layerCount()); i++) {
            Layer layer = producer.layer(i);
            int primary = (int) layerSsrcs.get(i)[0];
            int rtx = (int) layerSsrcs.get(i)[1];
            if (primary != 0 && producer.bindSsrc(layer, primary, false)) {
                layersBySsrc.put(primary, layer);
            }
            if (rtx != 0 && producer.bindSsrc(layer, rtx, true)) {
                layersBySsrc.put(rtx, layer);
            }
        }
        router.addProducer(producer, ctx);
    }

    /** A link endpoint's producer of a track from the far relay (its layers' SSRCs bind as packets arrive). */
    void addLinkedProducer(Producer producer, LoopContext ctx) {
        producers.add(producer);
        router.addProducer(producer, ctx);
    }

    void removeLinkedProducer(Producer producer) {
        if (producers.remove(producer)) {
            router.removeProducer(producer);
        }
    }

    void linkTracksChanged() {
        listener.onLinkTracksChanged();
    }

    /** The client stopped publishing into a section. */
    public void removeProducer(MediaSection section) {
        Producer producer = section.producer();
        if (producer == null) {
            return;
        }
        section.setProducer(null);
        producers.remove(producer);
        for (int i = 0; i < producer.layerCount(); i++) {
            Layer layer = producer.layer(i);
            if (layer.ssrc() != 0) {
                layersBySsrc.remove(layer.ssrc());
            }
            if (layer.rtxSsrc() != 0) {
                layersBySsrc.remove(layer.rtxSsrc());
            }
        }
        router.removeProducer(producer);
    }

    /** Adds an m-section; {@code mid} null numbers it. */
    public MediaSection addSection(MediaKind mediaKind, MediaSection.Role role, String mid) {
        return addSection(mediaKind, role, mid, TrackSource.defaultFor(mediaKind));
    }

    /** Adds an m-section for a track of that source; {@code mid} null numbers it. */
    public MediaSection addSection(MediaKind mediaKind, MediaSection.Role role, String mid, TrackSource source) {
        MediaSection section = new MediaSection(mid == null ? String.valueOf(nextMid++) : mid, mediaKind, role,
                source);
        sections.add(section);
        return section;
    }

    /**
     * The web app lets this browser share its screen, or stops its share. Allowing adds the section the share is
     * published into (the first time; it stays, inactive between shares) and makes an offer due, whose answer starts the
     * share's producer; stopping removes the producer at once (every subscriber's copy ends) and makes an offer due,
     * which the browser answers with the section inactive. Allowing what is allowed, or stopping what is stopped,
     * changes nothing.
     */
    public void allowScreenShare(boolean allowed) {
        MediaSection section = screenSection();
        if (kind != Kind.BROWSER || closed || (allowed == screenShareAllowed && (section != null || !allowed))) {
            return; // nothing changes: the browser's last offer says it already
        }
        screenShareAllowed = allowed;
        if (allowed && section == null) {
            addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null, TrackSource.SCREEN);
        } else if (!allowed && section != null) {
            removeProducer(section);
        }
        listener.onSectionsChanged();
    }

    /** Whether the participant may publish a screen share now. */
    public boolean screenShareAllowed() {
        return screenShareAllowed;
    }

    /** The section a browser publishes its screen share into, or null before it first shared. */
    public MediaSection screenSection() {
        for (MediaSection section : sections) {
            if (section.role() == MediaSection.Role.PUBLISH && section.source() == TrackSource.SCREEN) {
                return section;
            }
        }
        return null;
    }

    /**
     * The sizes the subscriber shows its video tracks at, by m-section id, in device pixels (0 x 0: not shown); the
     * next allocation takes the smallest layer that fills each tile. The client read the track list of offer
     * {@code offerVersion} (-1: not said): a size for a section that carries another track since that offer (a
     * released section taken again) is about the track that ended there, and is ignored.
     */
    public void setTileSizes(Map<String, int[]> sizesByMid, int offerVersion, LoopContext ctx) {
        for (MediaSection section : sections) {
            int[] size = sizesByMid.get(section.mid());
            if (size != null && section.consumer() != null
                    && (offerVersion < 0 || section.describesCurrentConsumer(offerVersion))) {
                section.consumer().setTileSize(size[0], size[1]);
            }
        }
        allocator.allocateSoon();
    }

    CongestionControl congestion() {
        return congestion;
    }

    /** What the allocation works with and chose, for Admin -> Live and metrics. */
    public LayerAllocator allocator() {
        return allocator;
    }

    void pausedVideoChanged(List<String> mids) {
        listener.onPausedVideo(mids);
    }

    /** The consumers this endpoint has, in m-section order. */
    List<Consumer> consumers() {
        List<Consumer> result = new ArrayList<>();
        for (MediaSection section : sections) {
            if (section.consumer() != null && !section.consumer().isClosed()) {
                result.add(section.consumer());
            }
        }
        return result;
    }

    /** The one participant a WHEP player receives (the first one, for a player that follows the speaker). */
    public void setWhepTarget(String participantId) {
        this.whepTarget = participantId;
    }

    /** Makes this WHEP player follow the room's speaker; before its consumers are made. */
    public void followSpeaker() {
        if (kind != Kind.WHEP) {
            throw new IllegalStateException("only a WHEP player follows the speaker");
        }
        followsSpeaker = true;
    }

    public boolean followsSpeaker() {
        return followsSpeaker;
    }

    // ---------------------------------------------------------------- accessors

    public String id() {
        return transport.id();
    }

    public Kind kind() {
        return kind;
    }

    public String participantId() {
        return participantId;
    }

    public String cname() {
        return cname;
    }

    public Transport transport() {
        return transport;
    }

    /** A browser's, WHIP or WHEP client's transport (the one negotiation deals with); not a link's. */
    public WebRtcTransport webRtcTransport() {
        if (!(transport instanceof WebRtcTransport webRtc)) {
            throw new IllegalStateException("a link endpoint has no WebRTC transport");
        }
        return webRtc;
    }

    /** A link endpoint's link; null for every other kind. */
    public Link link() {
        return link;
    }

    public Router router() {
        return router;
    }

    public int rtcpSsrc() {
        return rtcpSsrc;
    }

    public String whepTarget() {
        return whepTarget;
    }

    public boolean isClosed() {
        return closed;
    }

    public List<MediaSection> sections() {
        return Collections.unmodifiableList(sections);
    }

    public List<Producer> producers() {
        return Collections.unmodifiableList(producers);
    }

    @Override
    public String toString() {
        return "Endpoint[" + transport.id() + " " + kind + " participant=" + participantId + "]";
    }
}
