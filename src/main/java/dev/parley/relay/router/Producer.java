package dev.parley.relay.router;

import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.PictureLossIndication;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.H264Payload;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.RtpReceiveStatistics;
import dev.parley.relay.rtp.TransportSequenceNumber;
import dev.parley.relay.rtp.Vp8Payload;
import dev.parley.relay.rtp.Vp9Payload;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.Transport;
import dev.parley.relay.util.Bytes;
import java.util.Arrays;
import java.util.List;

/**
 * One incoming track of a participant: the SSRCs it arrives on, the codec, and the consumers that copy it to other
 * participants. Incoming packets are normalised once (canonical payload type and extension ids, the relay's own SSRC
 * for the outside) and then copied to every consumer. Only the relay loop thread touches a producer.
 */
public final class Producer {

    /** What a single-layer camera nobody watches is asked for: a simulcast camera's two lower layers, and a quarter. */
    static final long UNWATCHED_BITRATE = (LayerAllocator.nominalBitrate(0, 3) + LayerAllocator.nominalBitrate(1, 3))
            * 5 / 4;

    /** At most one keyframe request per publisher track in this window; more are merged into one. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;
    /** The relay asks the publisher for one missing packet at most this often. */
    static final long UPSTREAM_NACK_INTERVAL_NANOS = 50_000_000L;
    /** A forward jump in sequence numbers up to this is loss on the publisher's leg; beyond it, a new start. */
    static final int MAX_GAP_TO_ASK_FOR = 64;
    private static final Consumer[] NO_CONSUMERS = new Consumer[0];
    private static final LinkSender[] NO_LINKS = new LinkSender[0];
    /**
     * A browser's extensions as subscribers get them: the canonical ids, less those that describe the publisher's own
     * m-section (MID, RID, repaired RID). Subscribers share one BUNDLE transport whose demultiplexer reads MID before
     * SSRC, so a forwarded MID would steer the packet into the wrong m-section of theirs. The transport-wide sequence
     * number stays, as the slot each subscriber's own number is written into ({@link CongestionControl}).
     */
    private static final byte[] BROWSER_EXTENSIONS = browserExtensions();

    private final String id;
    private final MediaKind kind;
    private final TrackSource source;
    private final Endpoint endpoint;
    /** Whose track it is: the endpoint's participant, or for a track that came over a relay link, the far one's. */
    private final String participantId;
    private final Transport transport; // the endpoint's, kept here for the packet path
    private final String trackId;
    private final RtpCodecSpec codec;
    private final int[] payloadTypeMap = new int[128];
    private final byte[] extensionMap;
    private final int outSsrc;
    private final int outRtxSsrc;
    private final Layer[] layers;
    private final boolean rewritesPictureIds;
    private final boolean vp9;
    private final boolean readsTransportSequence;
    /** The room's setting: off, NACKs are not answered and gaps not asked for, so loss waits for a key frame. */
    private final boolean nackRepair;
    private Consumer[] consumers = NO_CONSUMERS;
    /** The relay links this track goes over to other relays, each once, all its layers as they arrive. */
    private LinkSender[] links = NO_LINKS;
    /** Copies packets to the room's recorder while the room is recorded; null otherwise. */
    private RecordingTap recordingTap;
    private boolean closed;
    private final SpeechActivity speech = new SpeechActivity();

    /**
     * @param incomingPayloadType the publisher's payload type for the codec (canonical for browsers)
     * @param incomingRtxPayloadType the publisher's RTX payload type, or -1
     * @param extensionMap publisher extension id to canonical id (0 drops it), or null when they are canonical
     */
    public Producer(String id, MediaKind kind, Endpoint endpoint, String trackId, RtpCodecSpec codec,
                    int incomingPayloadType, int incomingRtxPayloadType, byte[] extensionMap, int outSsrc,
                    int outRtxSsrc) {
        this(id, kind, endpoint, trackId, codec, incomingPayloadType, incomingRtxPayloadType, extensionMap, outSsrc,
                outRtxSsrc, List.of());
    }

    /**
     * @param rids the simulcast layers' RIDs from the lowest quality up, or empty for one stream
     */
    public Producer(String id, MediaKind kind, Endpoint endpoint, String trackId, RtpCodecSpec codec,
                    int incomingPayloadType, int incomingRtxPayloadType, byte[] extensionMap, int outSsrc,
                    int outRtxSsrc, List<String> rids) {
        this(id, kind, TrackSource.defaultFor(kind), endpoint, trackId, codec, incomingPayloadType,
                incomingRtxPayloadType, extensionMap, outSsrc, outRtxSsrc, rids);
    }

    /**
     * @param source what the track comes from (a browser's screen share, or its camera or microphone)
     * @param rids the simulcast layers' RIDs from the lowest quality up, or empty for one stream
     */
    public Producer(String id, MediaKind kind, TrackSource source, Endpoint endpoint, String trackId,
                    RtpCodecSpec codec, int incomingPayloadType, int incomingRtxPayloadType, byte[] extensionMap,
                    int outSsrc, int outRtxSsrc, List<String> rids) {
        this(id, kind, source, endpoint, endpoint.participantId(), trackId, codec, incomingPayloadType,
                incomingRtxPayloadType, extensionMap, outSsrc, outRtxSsrc, rids);
    }

    /**
     * @param participantId whose track it is (a relay link's endpoint carries other participants' tracks)
     */
    Producer(String id, MediaKind kind, TrackSource source, Endpoint endpoint, String participantId, String trackId,
             RtpCodecSpec codec, int incomingPayloadType, int incomingRtxPayloadType, byte[] extensionMap,
             int outSsrc, int outRtxSsrc, List<String> rids) {
        this.id = id;
        this.kind = kind;
        this.source = source;
        this.endpoint = endpoint;
        this.participantId = participantId;
        this.transport = endpoint.transport();
        this.trackId = trackId;
        this.codec = codec;
        this.readsTransportSequence = extensionMap == null;
        this.extensionMap = extensionMap == null ? BROWSER_EXTENSIONS : extensionMap;
        this.outSsrc = outSsrc;
        this.outRtxSsrc = outRtxSsrc;
        this.nackRepair = endpoint.router().nackRepair();
        int count = Math.max(1, rids.size());
        this.layers = new Layer[count];
        for (int i = 0; i < count; i++) {
            layers[i] = new Layer(this, i, rids.isEmpty() ? null : rids.get(i), kind == MediaKind.VIDEO);
        }
        this.vp9 = codec.isNamed("VP9");
        this.rewritesPictureIds = count > 1 && (vp9 || codec.isNamed("VP8"));
        Arrays.fill(payloadTypeMap, -1);
        payloadTypeMap[incomingPayloadType] = codec.payloadType();
        if (incomingRtxPayloadType >= 0 && codec.hasRtx()) {
            payloadTypeMap[incomingRtxPayloadType] = codec.rtxPayloadType();
        }
    }

    private static byte[] browserExtensions() {
        byte[] map = new byte[16];
        for (int id = 0; id < map.length; id++) {
            map[id] = (byte) id;
        }
        map[Layer.MID_EXTENSION_ID] = 0;
        map[Layer.RID_EXTENSION_ID] = 0;
        map[Layer.REPAIRED_RID_EXTENSION_ID] = 0;
        return map;
    }

    public boolean acceptsPayloadType(int payloadType) {
        return payloadTypeMap[payloadType & 0x7f] >= 0;
    }

    public boolean isRtxPayloadType(int incomingPayloadType) {
        return codec.hasRtx() && payloadTypeMap[incomingPayloadType & 0x7f] == codec.rtxPayloadType();
    }

    /** Binds the primary or RTX SSRC of a layer; returns false when that slot is taken by another SSRC. */
    public boolean bindSsrc(Layer layer, int newSsrc, boolean rtx) {
        return layer.bindSsrc(newSsrc, rtx);
    }

    /** The layer whose RID is the ASCII text at {@code off}, or null. */
    Layer layerByRid(byte[] buf, int off, int len) {
        for (Layer layer : layers) {
            if (layer.ridMatches(buf, off, len)) {
                return layer;
            }
        }
        return null;
    }

    /** An RTP packet from the publisher on one of its layers, already decrypted into {@code in} and parsed. */
    public void onRtp(Layer layer, PacketBuffer in, RtpPacket rtp, LoopContext ctx) {
        int incomingPt = rtp.payloadType();
        int canonicalPt = payloadTypeMap[incomingPt];
        if (canonicalPt < 0) {
            transport.counters().dropped(DropReason.UNKNOWN_PAYLOAD_TYPE);
            return;
        }
        if (canonicalPt != incomingPt) {
            rtp.setPayloadType(canonicalPt);
        }
        if (rtp.hasExtension()) {
            if (readsTransportSequence) {
                int transportSequence = TransportSequenceNumber.read(rtp, Layer.TRANSPORT_CC_EXTENSION_ID);
                if (transportSequence != TransportSequenceNumber.NOT_FOUND) {
                    endpoint.onTransportSequence(transportSequence, ctx.nowNanos());
                }
            }
            if (!rtp.remapExtensionIds(extensionMap)) {
                transport.counters().dropped(DropReason.MALFORMED_RTP);
                return;
            }
        }
        layer.onPacket(in.length(), ctx.nowNanos());
        if (rtp.ssrc() == layer.rtxSsrc() && layer.rtxSsrc() != 0) {
            onRetransmission(layer, rtp, ctx);
            return;
        }
        if (kind == MediaKind.AUDIO) {
            speech.onPacket(rtp);
        }
        long arrival = ctx.nowNanos() / 1000 * codec.clockRate() / 1_000_000;
        layer.statistics().update(rtp.sequenceNumber(), rtp.timestamp(), arrival);
        boolean keyframe = false;
        PacketCache cache = layer.cache();
        if (cache != null) {
            keyframe = isKeyframe(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
            if (keyframe) {
                layer.onKeyframe(codec.isNamed("VP8")
                        ? Vp8Payload.keyframeSize(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength()) : 0);
            }
            askForGap(layer, rtp.sequenceNumber(), ctx);
            cache.put(in.buffer(), in.offset(), in.length(), rtp.sequenceNumber());
        }
        int payloadOffset = rtp.payloadOffset() - in.offset();
        int payloadLength = rtp.payloadLength();
        Consumer[] targets = consumers;
        for (Consumer consumer : targets) {
            consumer.send(layer, in.buffer(), in.offset(), in.length(), payloadOffset, payloadLength, keyframe, ctx);
        }
        for (LinkSender link : links) {
            link.send(layer, in.buffer(), in.offset(), in.length(), ctx);
        }
        RecordingTap tap = recordingTap;
        if (tap != null) {
            tap.onPacket(layer, in.buffer(), in.offset(), in.length(), payloadOffset, payloadLength, keyframe, ctx);
        }
    }

    void setRecordingTap(RecordingTap tap) {
        recordingTap = tap;
    }

    /** How much this (audio) producer has been speaking, for the room's {@link SpeakerDetector}. */
    SpeechActivity speech() {
        return speech;
    }


    /**
     * The publisher's leg lost packets: a sequence number jumped ahead of the newest one by a little. The relay asks
     * for them at once, before any subscriber notices (a larger jump is a restarted stream, not loss).
     */
    private void askForGap(Layer layer, int sequence, LoopContext ctx) {
        if (!nackRepair) {
            return;
        }
        PacketCache cache = layer.cache();
        int newest = cache.newest();
        int gap = (sequence - newest) & 0xFFFF;
        if (newest < 0 || gap <= 1 || gap > MAX_GAP_TO_ASK_FOR) {
            return;
        }
        int[] missing = ctx.missingScratch();
        int count = 0;
        for (int s = 1; s < gap; s++) {
            int lost = (newest + s) & 0xFFFF;
            if (cache.shouldAskFor(lost, ctx.nowNanos(), UPSTREAM_NACK_INTERVAL_NANOS)) {
                missing[count++] = lost;
            }
        }
        askUpstream(layer, missing, count, ctx);
    }

    /**
     * An RTX packet from the publisher (RFC 4588): a packet the relay lacked goes into the cache, and to every
     * subscriber whose stream passed it, as that subscriber's RTX. RTX of a packet the relay has (the publisher probing
     * its path) and RTX without an original payload (probe padding) end here, and so does all of it with repair off:
     * subscribers then get no retransmissions at all.
     */
    private void onRetransmission(Layer layer, RtpPacket rtx, LoopContext ctx) {
        PacketCache cache = layer.cache();
        if (cache == null || rtx.payloadLength() < 2 || !nackRepair) {
            return;
        }
        int originalSequence = Bytes.uint16(rtx.buffer(), rtx.payloadOffset());
        if (cache.find(originalSequence) >= 0) {
            // The relay has the packet: this is no repair but a publisher probing its path with a copy of an old
            // packet (libwebrtc does, thousands a minute); subscribers need it no more than the relay does.
            return;
        }
        int slot = cache.putRepaired(rtx.buffer(), rtx.offset(), rtx.headerLength(), rtx.payloadOffset(),
                rtx.payloadLength(), originalSequence, codec.payloadType());
        if (slot < 0) {
            return;
        }
        Consumer[] targets = consumers;
        for (Consumer consumer : targets) {
            if (consumer.retransmitRepaired(layer, cache.packet(slot), cache.length(slot), originalSequence, ctx)) {
                consumer.endpoint().transport().counters().retransmitted();
            }
        }
        for (LinkSender link : links) { // the far relay lacks it too: it gets the original packet, late
            link.send(layer, cache.packet(slot), 0, cache.length(slot), ctx);
        }
        RecordingTap tap = recordingTap;
        if (tap != null) {
            tap.onRepaired(layer, cache.packet(slot), cache.length(slot), rtx.headerLength(), rtx.payloadLength() - 2,
                    ctx);
        }
    }

    private boolean isKeyframe(byte[] buf, int off, int len) {
        if (codec.isNamed("VP8")) {
            return Vp8Payload.isKeyframe(buf, off, len);
        }
        if (codec.isNamed("VP9")) {
            return Vp9Payload.isKeyframe(buf, off, len);
        }
        if (codec.isNamed("H264")) {
            return H264Payload.isKeyframe(buf, off, len);
        }
        return false;
    }

    /** A sender report from the publisher about one layer: kept for reports and alignment, passed on to subscribers. */
    public void onSenderReport(Layer layer, byte[] buf, int off, SenderReport report, LoopContext ctx) {
        if (report.senderSsrc() != layer.ssrc() || layer.statistics() == null) {
            return;
        }
        layer.statistics().onSenderReport(report.ntpTimestamp(), ctx.nowNanos() / 1_000_000);
        layer.onSenderReport(report.ntpTimestamp(), report.rtpTimestamp());
        for (Consumer consumer : consumers) {
            consumer.forwardSenderReport(layer, buf, off, ctx);
        }
        for (LinkSender link : links) {
            link.sendSenderReport(layer, buf, off, ctx);
        }
    }

    /** A subscriber lost its picture: ask the publisher for a key frame of that layer, at most once per interval. */
    public void requestKeyframe(Layer layer, LoopContext ctx) {
        if (kind != MediaKind.VIDEO || closed) {
            return;
        }
        // Held back until the interval has passed, the SSRC is known and the publisher's DTLS is done; then the tick
        // sends it.
        if (ctx.nowNanos() - layer.lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS || layer.ssrc() == 0
                || !transport.isConnected()) {
            layer.keyframeRequestPending = true;
            return;
        }
        layer.keyframeRequestPending = false;
        layer.lastKeyframeRequestNanos = ctx.nowNanos();
        PacketBuffer out = ctx.control();
        int len = PictureLossIndication.write(out.buffer(), 0, endpoint.rtcpSsrc(), layer.ssrc());
        out.set(0, len);
        transport.sendRtcp(out, ctx);
    }

    /** Sends requests that were held back by the rate limit, once the interval has passed. */
    public void flushPendingKeyframeRequest(LoopContext ctx) {
        for (Layer layer : layers) {
            if (layer.keyframeRequestPending
                    && ctx.nowNanos() - layer.lastKeyframeRequestNanos >= KEYFRAME_REQUEST_INTERVAL_NANOS) {
                requestKeyframe(layer, ctx);
            }
        }
    }

    /**
     * A subscriber's NACK for these (its own) sequence numbers: each one the cache of the layer it was sent from holds
     * is sent again as RTX; those that never arrived are asked for upstream, once per interval however many
     * subscribers ask; where retransmission cannot help (the packet left the cache, or the subscriber takes no RTX) a
     * key frame is requested instead. With repair off, each is only counted as asked for and not repaired; the
     * subscriber's own keyframe request (PLI, FIR) brings the picture back.
     */
    public void repair(Consumer consumer, int[] lost, int count, LoopContext ctx) {
        if (kind != MediaKind.VIDEO || closed) {
            return;
        }
        TrafficCounters subscriber = consumer.endpoint().transport().counters();
        if (!nackRepair) {
            for (int i = 0; i < count; i++) {
                subscriber.nacked();
                subscriber.unrepaired();
            }
            return;
        }
        int[] missing = ctx.missingScratch();
        int misses = 0;
        Layer missingLayer = null;
        boolean tooOld = false;
        for (int i = 0; i < count; i++) {
            int outSequence = lost[i];
            subscriber.nacked();
            int segment = consumer.segmentOf(outSequence);
            if (segment < 0) {
                subscriber.unrepaired();
                tooOld = true;
                continue;
            }
            Layer layer = layers[consumer.segmentLayer(segment)];
            int sequence = consumer.inSequence(segment, outSequence);
            PacketCache cache = layer.cache();
            int slot = cache.find(sequence);
            if (slot >= 0 && consumer.retransmit(cache.packet(slot), cache.length(slot), outSequence, segment, ctx)) {
                subscriber.retransmitted();
                continue;
            }
            subscriber.unrepaired();
            if (slot >= 0 || slot == PacketCache.TOO_OLD) {
                tooOld = true; // held but this subscriber takes no RTX, or no longer held: only a keyframe helps
            } else if (slot == PacketCache.NEVER_RECEIVED
                    && cache.shouldAskFor(sequence, ctx.nowNanos(), UPSTREAM_NACK_INTERVAL_NANOS)) {
                if (missingLayer != layer) {
                    askUpstream(missingLayer, missing, misses, ctx);
                    missingLayer = layer;
                    misses = 0;
                }
                missing[misses++] = sequence;
            }
        }
        askUpstream(missingLayer, missing, misses, ctx);
        if (tooOld) {
            consumer.requestKeyframe(ctx);
        }
    }

    /**
     * A far relay's NACK, over a relay link, for packets of one layer (by the publisher's own sequence numbers): each
     * one the cache holds goes over the link again as it first went; those this relay never received it asks the
     * publisher for, as it does for its own subscribers.
     */
    void repairForLink(LinkSender link, Layer layer, int[] lost, int count, LoopContext ctx) {
        PacketCache cache = layer.cache();
        if (cache == null || closed || !nackRepair) {
            return;
        }
        int[] missing = ctx.missingScratch();
        int misses = 0;
        int newest = cache.newest();
        for (int i = 0; i < count; i++) {
            int ahead = (lost[i] - newest) & 0xFFFF;
            if (newest < 0 || (ahead != 0 && ahead < 0x8000)) {
                continue; // not sent yet by the publisher (or nothing arrived): nothing to repair
            }
            int slot = cache.find(lost[i]);
            if (slot >= 0) {
                link.send(layer, cache.packet(slot), 0, cache.length(slot), ctx);
                link.transport().counters().retransmitted();
            } else if (slot == PacketCache.NEVER_RECEIVED
                    && cache.shouldAskFor(lost[i], ctx.nowNanos(), UPSTREAM_NACK_INTERVAL_NANOS)) {
                missing[misses++] = lost[i];
            }
        }
        askUpstream(layer, missing, misses, ctx);
    }

    /** NACKs the publisher for packets of a layer the relay did not receive. */
    private void askUpstream(Layer layer, int[] sequences, int count, LoopContext ctx) {
        if (count == 0 || layer == null || layer.ssrc() == 0) {
            return;
        }
        PacketBuffer out = ctx.control();
        int len = GenericNack.write(out.buffer(), 0, endpoint.rtcpSsrc(), layer.ssrc(), sequences, count);
        if (len > 0) {
            out.set(0, len);
            transport.sendRtcp(out, ctx);
        }
    }

    /**
     * What the publisher should spend on this video track, bit/s: with simulcast, the layers up to the highest one a
     * subscriber's tile needs (the encoder fills layers from the lowest, so a lower total switches the top ones off),
     * with room to spare; without, the cap. The two lower layers are always allowed for: a browser that only has a
     * REMB to go by raises its estimate by a few per cent a second, so a publisher held at the lowest layer would take
     * half a minute to reach the top one when someone pins it.
     *
     * <p>A camera without simulcast (a WHIP encoder, a browser that refused the layers) gets the cap while someone's
     * tile shows it, or it is recorded; while nobody's does (alone in the room, off everyone's screen, left out by
     * last-N), as much as a simulcast camera's two lower layers, so that it ramps back within seconds when someone
     * looks. A screen share always gets the cap: its detail matters more than its bitrate.
     */
    long neededBitrate(long cap, long nowNanos) {
        // A relay link does not say which layers the far relay's subscribers need, so a linked track is given all.
        boolean everything = recordingTap != null || links.length > 0;
        if (!isSimulcast()) {
            return isScreen() || everything || isWatched() ? cap : Math.min(cap, UNWATCHED_BITRATE);
        }
        int highest = everything ? layers.length - 1 : Math.min(1, layers.length - 1);
        for (Consumer consumer : consumers) {
            highest = Math.max(highest, consumer.desiredLayer());
        }
        long sum = 0;
        for (int i = 0; i <= highest; i++) {
            sum += Math.max(layers[i].bitrate(nowNanos), LayerAllocator.nominalBitrate(i, layers.length));
        }
        return Math.min(cap, sum + sum / 4);
    }

    /** Whether a subscriber's page shows this video (its tile is on screen and last-N forwards it). */
    private boolean isWatched() {
        for (Consumer consumer : consumers) {
            if (!consumer.isClosed() && consumer.desiredLayer() >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Starts copying to a consumer (the subscriber's transport created it). */
    public void attach(Consumer consumer) {
        consumers = with(consumers, consumer);
    }

    /** Starts sending this track over a relay link. */
    void attachLink(LinkSender link) {
        links = with(links, link);
    }

    void removeLink(LinkSender link) {
        links = without(links, link);
    }

    void removeConsumer(Consumer consumer) {
        consumers = without(consumers, consumer);
    }

    /**
     * The array and the element (copy on write: the packet path iterates the arrays without a lock or an iterator).
     */
    private static <T> T[] with(T[] current, T element) {
        T[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = element;
        return next;
    }

    /** The array without the element (the same array when it is not in it). */
    private static <T> T[] without(T[] current, T element) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] == element) {
                T[] next = Arrays.copyOf(current, current.length - 1);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                return next;
            }
        }
        return current;
    }

    void close() {
        closed = true;
        for (Layer layer : layers) {
            if (layer.cache() != null) {
                layer.cache().release();
            }
        }
        if (recordingTap != null) {
            recordingTap.close();
            recordingTap = null;
        }
        Consumer[] current = consumers;
        consumers = NO_CONSUMERS;
        for (Consumer consumer : current) {
            consumer.onProducerClosed(this);
        }
        LinkSender[] linked = links;
        links = NO_LINKS;
        for (LinkSender link : linked) {
            link.onProducerClosed();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public String id() {
        return id;
    }

    public MediaKind kind() {
        return kind;
    }

    public TrackSource source() {
        return source;
    }

    /** Whether this is someone's screen share. */
    public boolean isScreen() {
        return source == TrackSource.SCREEN;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Whose track it is (for a track that came over a relay link, a participant on another node). */
    public String participantId() {
        return participantId;
    }

    /** The RTCP canonical name subscribers see for it: one per participant, so their tracks are synchronised. */
    public String cname() {
        return "parley-" + participantId;
    }

    public String trackId() {
        return trackId;
    }

    public RtpCodecSpec codec() {
        return codec;
    }

    /** The first layer's SSRC (the only one without simulcast), 0 until known. */
    public int ssrc() {
        return layers[0].ssrc();
    }

    public int rtxSsrc() {
        return layers[0].rtxSsrc();
    }

    public Layer layer(int index) {
        return layers[index];
    }

    public int layerCount() {
        return layers.length;
    }

    public boolean isSimulcast() {
        return layers.length > 1;
    }

    /** VP8 or VP9 simulcast: picture ids continue across layer switches only if the relay rewrites them. */
    boolean rewritesPictureIds() {
        return rewritesPictureIds;
    }

    boolean isVp9() {
        return vp9;
    }

    public int outSsrc() {
        return outSsrc;
    }

    public int outRtxSsrc() {
        return outRtxSsrc;
    }

    public RtpReceiveStatistics statistics() {
        return layers[0].statistics();
    }

    public int consumerCount() {
        return consumers.length;
    }

    public long packets() {
        long sum = 0;
        for (Layer layer : layers) {
            sum += layer.packets();
        }
        return sum;
    }

    public long bytes() {
        long sum = 0;
        for (Layer layer : layers) {
            sum += layer.bytes();
        }
        return sum;
    }

    public long keyframes() {
        long sum = 0;
        for (Layer layer : layers) {
            sum += layer.keyframes();
        }
        return sum;
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind + " " + codec.name() + " layers=" + Arrays.toString(layers) + "]";
    }
}
