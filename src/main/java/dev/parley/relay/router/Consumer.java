package dev.parley.relay.router;

import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.RtpHeaderWriter;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.Transport;
import dev.parley.relay.util.TokenBucket;
import dev.parley.relay.util.Bytes;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One outgoing copy of a producer for one subscriber. It starts when the subscriber has both negotiated its m-section
 * and finished DTLS, and holds video back until a keyframe so the subscriber's decoder never starts mid-picture. Video
 * comes from one layer at a time, the one {@link LayerAllocator} chose; a switch waits for the new layer's key frame,
 * and {@link StreamRewriter} keeps the numbers continuous.
 *
 * <p>A WHEP player that follows the speaker has consumers whose producer changes ({@link #follow}): they keep the
 * SSRCs of the first producer (the ones the player's answer announced) and, like a layer switch, move to the next
 * producer at its key frame (audio at its next packet), its numbers continuing where the last producer's stopped.
 * Loop thread only.
 */
public final class Consumer {

    /**
     * Retransmissions a subscriber may get: a burst, then about a 2.5 Mbit/s stream's whole packet rate. A NACK can name
     * hundreds of packets in 1,500 bytes, so without a budget one subscriber could make the relay send it a hundred
     * times what it sends (to itself, and at the cost of everyone's loop time).
     */
    static final int RETRANSMIT_BURST = 128;
    static final double RETRANSMITS_PER_SECOND = 250;
    /** Padding per probe packet, libwebrtc's size for padding-only packets. */
    static final int PADDING_PER_PACKET = 224;

    private Producer producer;
    /** The producer this consumer moves to at its next key frame (following the speaker only); null otherwise. */
    private Producer next;
    private final boolean follows;
    /** The SSRCs the subscriber knows this stream by: the first producer's, kept while a follower's producer changes. */
    private final int outSsrc;
    private final int outRtxSsrc;
    /**
     * Segments of the rewriter begun since the current producer's first packet: older ones are another's numbers, and
     * at 0 the next segment starts this producer (its timestamps cannot be aligned with another publisher's).
     */
    private int segmentsOfProducer;
    private final Endpoint endpoint;
    private final Transport transport; // the endpoint's, kept here for the packet path
    private final String mid;
    private final int[] payloadTypeMap;
    private final byte[] extensionMap;
    private final StreamRewriter rewriter = new StreamRewriter();
    private boolean negotiated;
    private boolean active;
    private boolean closed;
    /** The layer being forwarded; -1 before the first key frame or while paused. */
    private int currentLayer = -1;
    /** The layer the allocation chose; -1 pauses the video. */
    private int targetLayer;
    /** The layer the subscriber's tile needs, by size alone; -1 when the tile is hidden. */
    private int desiredLayer;
    /** Paused because the subscriber's link cannot carry even the lowest layer beside what comes first. */
    private boolean bandwidthPaused;
    /** While paused for bandwidth, the lowest layer's cost as its return is judged; 0 otherwise. */
    private long pausedCost;
    /** The layer, and the producer, {@link #pausedCost} was measured on. */
    private int pausedCostLayer;
    private Producer pausedCostProducer;
    /** Since when the budget has not carried the lowest layer; {@link Long#MIN_VALUE} while it does. */
    private long shortSinceNanos = Long.MIN_VALUE;
    private long keyframeAskedNanos;
    private int tileWidth = -1;
    private int tileHeight = -1;
    private int rtxSequence = ThreadLocalRandom.current().nextInt(0x10000);
    /** The RTP timestamp of the last video packet sent, which probe padding carries. */
    private int lastTimestamp;
    /** Created at the first retransmission, on the loop's clock. */
    private TokenBucket retransmissions;

    /**
     * @param payloadTypeMap canonical payload type to the subscriber's (-1: not negotiated, skip), or null for identity
     * @param extensionMap canonical extension id to the subscriber's (0 strips it), or null for identity
     */
    public Consumer(Producer producer, Endpoint endpoint, String mid, int[] payloadTypeMap, byte[] extensionMap) {
        this(producer, endpoint, mid, payloadTypeMap, extensionMap, false);
    }

    /** @param follows whether the producer may change ({@link #follow}): a WHEP player following the speaker */
    Consumer(Producer producer, Endpoint endpoint, String mid, int[] payloadTypeMap, byte[] extensionMap,
             boolean follows) {
        this.producer = producer;
        this.follows = follows;
        this.outSsrc = producer.outSsrc();
        this.outRtxSsrc = producer.outRtxSsrc();
        this.endpoint = endpoint;
        this.transport = endpoint.transport();
        this.mid = mid;
        this.payloadTypeMap = payloadTypeMap;
        this.extensionMap = extensionMap;
        // Simulcast starts on the lowest layer, which arrives soonest and fits any link; the allocation raises it.
        this.targetLayer = 0;
        this.desiredLayer = producer.layerCount() - 1;
    }

    /**
     * A packet of one of the producer's layers. It goes out if it belongs to the layer being forwarded, or if it is a
     * key frame of the layer the allocation chose (a switch); anything else of other layers is not for this
     * subscriber.
     */
    void send(Layer layer, byte[] src, int off, int len, int payloadOffset, int payloadLength, boolean keyframe,
              LoopContext ctx) {
        if (!active) {
            return;
        }
        if (layer.producer() != producer && !startsNext(layer, keyframe, ctx)) {
            return;
        }
        int index = layer.index();
        boolean rewrites = producer.kind() == MediaKind.VIDEO || follows;
        if (index != currentLayer) {
            if (index != targetLayer) {
                return;
            }
            if (!keyframe && producer.kind() == MediaKind.VIDEO) {
                if (currentLayer < 0) {
                    transport.counters().dropped(DropReason.KEYFRAME_WAIT);
                }
                if (ctx.nowNanos() - keyframeAskedNanos > 1_000_000_000L) {
                    keyframeAskedNanos = ctx.nowNanos();
                    producer.requestKeyframe(layer, ctx);
                }
                return;
            }
            switchTo(layer, src, off, payloadOffset, payloadLength, ctx);
        } else if (rewrites && !rewriter.accepts(Bytes.uint16(src, off + 2))) {
            transport.counters().dropped(DropReason.KEYFRAME_WAIT); // older than the switch: the subscriber never needs it
            return;
        }
        int mappedPt = mappedPayloadType(src[off + 1] & 0x7f);
        if (mappedPt < 0) {
            transport.counters().dropped(DropReason.NOT_NEGOTIATED);
            return;
        }
        PacketBuffer out = ctx.outbound();
        out.copyFrom(src, off, len);
        byte[] b = out.buffer();
        int o = out.offset();
        Bytes.putInt32(b, o + 8, outSsrc);
        b[o + 1] = (byte) ((b[o + 1] & 0x80) | mappedPt);
        if (rewrites) {
            rewriter.rewrite(b, o, o + payloadOffset, payloadLength, rewritesPictureIds(), producer.isVp9(),
                    ctx.nowNanos());
            lastTimestamp = Bytes.int32(b, o + 4);
        }
        transmit(out, false, ctx);
    }

    /**
     * Numbers the packet for congestion control, maps its extension ids, protects and sends it; false when it did not
     * leave (extensions that do not map, or the transport could not send).
     */
    private boolean transmit(PacketBuffer out, boolean probe, LoopContext ctx) {
        CongestionControl congestion = endpoint.congestion();
        int sequence = congestion.stamp(out, ctx.outRtp());
        int size = out.length();
        boolean sent = remapExtensions(out, ctx) && transport.sendRtp(out, ctx);
        congestion.onSent(sequence, size, sent, probe, ctx.nowNanos());
        return sent;
    }

    /**
     * Sends probe padding: RTX packets with no payload and up to {@link #PADDING_PER_PACKET} bytes of RTP padding
     * (RFC 3550 5.1), as libwebrtc probes when it has nothing to resend; receivers count them for congestion control
     * and drop them. Returns the bytes sent (0 unless this is an active video consumer with RTX negotiated).
     */
    int sendPadding(int bytes, LoopContext ctx) {
        RtpCodecSpec codec = producer.codec();
        // A video paused for bandwidth carries probes too: with every video paused, they alone can win one back.
        if (!active || (currentLayer < 0 && !bandwidthPaused) || producer.kind() != MediaKind.VIDEO
                || !codec.hasRtx() || outRtxSsrc == 0) {
            return 0;
        }
        int rtxPt = mappedPayloadType(codec.rtxPayloadType());
        if (rtxPt < 0) {
            return 0;
        }
        int sent = 0;
        while (sent < bytes) {
            PacketBuffer out = ctx.outbound();
            byte[] b = out.buffer();
            int header = RtpHeaderWriter.writeFixedHeader(b, 0, rtxPt, false, rtxSequence, lastTimestamp & 0xFFFFFFFFL,
                    outRtxSsrc);
            b[0] |= 0x20;
            Arrays.fill(b, header, header + PADDING_PER_PACKET - 1, (byte) 0);
            b[header + PADDING_PER_PACKET - 1] = (byte) PADDING_PER_PACKET;
            out.set(0, header + PADDING_PER_PACKET);
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
            if (!transmit(out, true, ctx)) {
                break;
            }
            sent += out.length();
        }
        return sent;
    }

    private void switchTo(Layer layer, byte[] src, int off, int payloadOffset, int payloadLength, LoopContext ctx) {
        long aligned = Long.MIN_VALUE;
        if (segmentsOfProducer > 0) {
            aligned = rewriter.alignedTimestampDelta(producer.layer(rewriter.layer()), layer,
                    producer.codec().clockRate());
        }
        // Another producer's timestamps start anywhere and its sender reports use its publisher's clock: its stream
        // continues from the last packet sent by the time that passed since.
        rewriter.begin(layer.index(), src, off, off + payloadOffset, payloadLength, rewritesPictureIds(),
                producer.isVp9(), aligned, producer.codec().clockRate(), ctx.nowNanos());
        segmentsOfProducer++;
        if (currentLayer >= 0 && producer.isSimulcast()) {
            transport.counters().layerSwitched();
        }
        currentLayer = layer.index();
    }

    /** VP8 and VP9 picture ids continue across layers, and across producers for a follower. */
    private boolean rewritesPictureIds() {
        return producer.rewritesPictureIds() || (follows && producer.kind() == MediaKind.VIDEO
                && (producer.isVp9() || producer.codec().isNamed("VP8")));
    }

    /**
     * Moves a follower to another producer (or keeps it where it is, if that is its producer): its next key frame of the
     * layer this subscriber gets (for audio, its next packet) starts a new segment. The current producer's packets
     * flow until then.
     */
    void follow(Producer producer, LoopContext ctx) {
        if (!follows || closed || producer == next) {
            return;
        }
        if (next != null) {
            next.removeConsumer(this);
            next = null;
        }
        if (producer == this.producer && !producer.isClosed()) {
            return;
        }
        next = producer;
        producer.attach(this);
        if (active && producer.kind() == MediaKind.VIDEO) {
            keyframeAskedNanos = ctx.nowNanos();
            producer.requestKeyframe(producer.layer(nextLayer()), ctx);
        }
    }

    /** The layer of the next producer this subscriber starts on: the one it gets now, as far as that one has it. */
    private int nextLayer() {
        return Math.max(0, Math.min(targetLayer, next.layerCount() - 1));
    }

    /**
     * A packet of another producer than the current one: if it is the next producer's key frame (for audio, any
     * packet) of the layer this subscriber is to get, the next producer becomes the current one.
     */
    private boolean startsNext(Layer layer, boolean keyframe, LoopContext ctx) {
        // Even while paused: the allocation judged the previous producer, and judges this one at its next round.
        if (layer.producer() != next || layer.index() != nextLayer()) {
            return false;
        }
        if (!keyframe && next.kind() == MediaKind.VIDEO) {
            if (ctx.nowNanos() - keyframeAskedNanos > 1_000_000_000L) {
                keyframeAskedNanos = ctx.nowNanos();
                next.requestKeyframe(layer, ctx);
            }
            return false;
        }
        producer.removeConsumer(this);
        producer = next;
        next = null;
        targetLayer = layer.index();
        desiredLayer = Math.min(desiredLayer, producer.layerCount() - 1);
        currentLayer = -1;
        segmentsOfProducer = 0;
        return true;
    }

    /**
     * The producer closed. A follower stays (the router gives it another producer) and sends nothing meanwhile;
     * any other consumer ends with it.
     */
    void onProducerClosed(Producer closedProducer) {
        if (!follows) {
            close();
        } else if (closedProducer == next) {
            next = null;
        } else if (closedProducer == producer) {
            currentLayer = -1;
        }
    }

    /** Whether this consumer follows the speaker (a WHEP player's), its producer changing. */
    boolean follows() {
        return follows;
    }

    /** The producer it moves to at that producer's next key frame, or null. */
    Producer next() {
        return next;
    }

    /**
     * Sends a cached packet again as RTX (RFC 4588 4: the RTX payload type and SSRC, the consumer's own RTX sequence
     * number, the original sequence number as this subscriber knows it before the payload), with the timestamp and
     * picture ids of the segment it was first sent in. Returns whether it was sent: not before the consumer started,
     * while paused, beyond the retransmission budget, or to a subscriber that did not negotiate RTX. Resending in the
     * original stream is never done: under SRTP it would reuse the packet's index, and with AES-GCM a second
     * plaintext under the same nonce (a header extension that changed, say) would give the key stream away.
     */
    boolean retransmit(byte[] packet, int len, int outSequence, int segment, LoopContext ctx) {
        if (!active || currentLayer < 0) {
            return false;
        }
        if (retransmissions == null) {
            retransmissions = new TokenBucket(RETRANSMIT_BURST, RETRANSMITS_PER_SECOND, ctx.nowNanos());
        }
        if (!retransmissions.tryTake(ctx.nowNanos())) {
            return false; // a subscriber NACKing far more than it could have lost gets keyframes, not a flood
        }
        RtpCodecSpec codec = producer.codec();
        int rtxPt = codec.hasRtx() && outRtxSsrc != 0 ? mappedPayloadType(codec.rtxPayloadType()) : -1;
        if (rtxPt < 0) {
            return false;
        }
        RtpPacket original = ctx.outRtp();
        if (!original.wrap(packet, 0, len)) {
            return false;
        }
        int header = original.headerLength();
        int payload = original.payloadLength();
        PacketBuffer out = ctx.outbound();
        out.copyFrom(packet, 0, header);
        byte[] b = out.buffer();
        int o = out.offset();
        if (header + 2 + payload > LoopContext.MAX_PACKET - PacketBuffer.SRTP_OVERHEAD) {
            return false;
        }
        Bytes.putUint16(b, o + header, outSequence);
        System.arraycopy(packet, original.payloadOffset(), b, o + header + 2, payload);
        out.set(o, header + 2 + payload);
        b[o] &= (byte) ~0x20; // padding is not carried over
        b[o + 1] = (byte) ((b[o + 1] & 0x80) | rtxPt);
        Bytes.putUint16(b, o + 2, rtxSequence);
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        Bytes.putInt32(b, o + 8, outRtxSsrc);
        rewriter.rewriteRetransmission(segment, b, o, o + header + 2, payload, rewritesPictureIds(),
                producer.isVp9());
        return transmit(out, false, ctx);
    }

    /**
     * The publisher repaired a packet of {@code layer} (its RTX arrived): if this subscriber's stream passed that
     * point on that layer, it gets the packet as RTX too, under the sequence number it expects.
     */
    boolean retransmitRepaired(Layer layer, byte[] packet, int len, int inSequence, LoopContext ctx) {
        if (layer.producer() != producer || layer.index() != currentLayer || !rewriter.accepts(inSequence)) {
            return false;
        }
        int outSequence = rewriter.outSequence(inSequence);
        if (!rewriter.reached(outSequence)) {
            return false;
        }
        return retransmit(packet, len, outSequence, rewriter.segmentOf(outSequence), ctx);
    }

    /**
     * The segment of an outgoing sequence number the subscriber NACKed, or -1 (see {@link StreamRewriter}); also -1
     * for a number a follower's previous producer sent, whose packets the current producer's cache does not hold.
     */
    int segmentOf(int outSequence) {
        if (!rewriter.isStarted() && (producer.isSimulcast() || follows)) {
            return -1; // nothing was sent, so no layer is known
        }
        int segment = rewriter.segmentOf(outSequence);
        if (follows && segment >= 0 && rewriter.segmentAge(segment) >= segmentsOfProducer) {
            return -1;
        }
        return segment;
    }

    int segmentLayer(int segment) {
        return rewriter.segmentLayer(segment);
    }

    int inSequence(int segment, int outSequence) {
        return rewriter.inSequence(segment, outSequence);
    }

    /** The subscriber lost its picture: a key frame of the layer it gets (or is about to get). */
    void requestKeyframe(LoopContext ctx) {
        int layer = targetLayer >= 0 ? targetLayer : currentLayer;
        if (layer >= 0) {
            keyframeAskedNanos = ctx.nowNanos();
            Producer source = next != null ? next : producer;
            source.requestKeyframe(source.layer(Math.min(layer, source.layerCount() - 1)), ctx);
        }
    }

    /**
     * The allocation's choice: a layer index, or -1 to pause. A switch waits for the new layer's key frame (asked
     * for at once) and keeps the current layer flowing meanwhile; a pause takes effect at once.
     */
    void setTargetLayer(int layer, LoopContext ctx) {
        int target = Math.min(layer, producer.layerCount() - 1);
        if (target == targetLayer) {
            return;
        }
        targetLayer = target;
        if (target < 0) {
            currentLayer = -1;
            return;
        }
        if (active && target != currentLayer) {
            keyframeAskedNanos = ctx.nowNanos();
            producer.requestKeyframe(producer.layer(target), ctx);
        }
    }

    void setDesiredLayer(int layer) {
        desiredLayer = layer;
    }

    /** The size in device pixels the subscriber shows this track at; 0 x 0 when it is not shown. */
    void setTileSize(int width, int height) {
        tileWidth = width;
        tileHeight = height;
    }

    /** The subscriber's payload type for a canonical one, or -1 when it did not negotiate it. */
    private int mappedPayloadType(int canonical) {
        return payloadTypeMap == null ? canonical : payloadTypeMap[canonical];
    }

    /** Maps extension ids for a subscriber that chose its own; false (and counted) when they do not map. */
    private boolean remapExtensions(PacketBuffer out, LoopContext ctx) {
        byte[] b = out.buffer();
        int o = out.offset();
        if (extensionMap == null || (b[o] & 0x10) == 0) {
            return true;
        }
        RtpPacket view = ctx.outRtp();
        if (!view.wrap(b, o, out.length()) || !view.remapExtensionIds(extensionMap)) {
            transport.counters().dropped(DropReason.NOT_NEGOTIATED);
            return false;
        }
        return true;
    }

    /**
     * Passes the sender report of the layer being forwarded on, re-addressed to the SSRC the subscriber knows and on
     * its timeline; report blocks dropped.
     */
    void forwardSenderReport(Layer layer, byte[] src, int srcOff, LoopContext ctx) {
        if (!active || layer.producer() != producer
                || layer.index() != (currentLayer >= 0 ? currentLayer : targetLayer)) {
            return;
        }
        PacketBuffer out = ctx.control();
        byte[] b = out.buffer();
        System.arraycopy(src, srcOff, b, 0, 28);
        b[0] = (byte) 0x80;
        b[1] = (byte) 200;
        b[2] = 0;
        b[3] = 6;
        out.set(0, 28);
        SenderReport copy = ctx.senderReportView();
        if (!copy.wrap(b, 0, 28)) {
            return;
        }
        copy.setSenderSsrc(outSsrc);
        Bytes.putInt32(b, 16, (int) (Bytes.uint32(b, 16) + rewriter.timestampDelta()));
        transport.sendRtcp(out, ctx);
    }

    /** The subscriber accepted the m-section in its answer. */
    public void onNegotiated(LoopContext ctx) {
        negotiated = true;
        maybeActivate(ctx);
    }

    /** The subscriber's transport finished DTLS. */
    public void onTransportConnected(LoopContext ctx) {
        maybeActivate(ctx);
    }

    private void maybeActivate(LoopContext ctx) {
        if (active || closed || !negotiated || !transport.isConnected()) {
            return;
        }
        active = true;
        if (producer.kind() == MediaKind.VIDEO && targetLayer >= 0) {
            keyframeAskedNanos = ctx.nowNanos();
            producer.requestKeyframe(producer.layer(targetLayer), ctx);
        } else if (producer.kind() == MediaKind.AUDIO && !follows) {
            currentLayer = 0; // audio needs no key frame and keeps the publisher's numbers
        }
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        active = false;
        producer.removeConsumer(this);
        if (next != null) {
            next.removeConsumer(this);
            next = null;
        }
        endpoint.onConsumerClosed(this);
    }

    public Producer producer() {
        return producer;
    }

    /** The SSRC the subscriber receives this stream on. */
    public int outSsrc() {
        return outSsrc;
    }

    /** The SSRC of its retransmissions, or 0 when it has none. */
    public int outRtxSsrc() {
        return outRtxSsrc;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public String mid() {
        return mid;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The layer being forwarded, -1 when none (waiting for a key frame, or paused). */
    public int currentLayer() {
        return currentLayer;
    }

    public int targetLayer() {
        return targetLayer;
    }

    /** The layer the subscriber's tile needs of what the publisher sends, bandwidth aside; -1 when not shown. */
    public int desiredLayer() {
        return desiredLayer;
    }

    /** Whether the allocation paused this video because the subscriber's link cannot carry it (see LayerAllocator). */
    public boolean isBandwidthPaused() {
        return bandwidthPaused;
    }

    void setBandwidthPaused(boolean paused) {
        bandwidthPaused = paused;
        if (!paused) {
            pausedCost = 0;
        }
    }

    /**
     * The cost of this paused video's lowest layer as its return is judged, given what {@code layer} (its lowest
     * active one) measures now: the lowest measure since it was paused, let rise by a twentieth at each allocation. A
     * layer's measure jumps for a second or two (a key frame; a publisher's encoder on a busy machine dropping its top
     * layer and sending three times as much on its lowest), and a probe aimed at such a jump fails and keeps the video
     * away for another 8 s. Another layer, or another producer (a player following the speaker), starts again from
     * what it measures: the old one's low measure says nothing of it.
     */
    long pausedCost(int layer, long measured) {
        if (pausedCost <= 0 || layer != pausedCostLayer || producer != pausedCostProducer) {
            pausedCost = measured;
            pausedCostLayer = layer;
            pausedCostProducer = producer;
        } else {
            pausedCost = Math.min(measured, pausedCost + pausedCost / 20);
        }
        return pausedCost;
    }

    /**
     * Notes that the budget did not carry this video's lowest layer at {@code nowNanos}; returns for how long it has
     * not, without a break.
     */
    long shortFor(long nowNanos) {
        if (shortSinceNanos == Long.MIN_VALUE) {
            shortSinceNanos = nowNanos;
        }
        return nowNanos - shortSinceNanos;
    }

    /** The budget carries this video's lowest layer again (or it is not shown). */
    void notShort() {
        shortSinceNanos = Long.MIN_VALUE;
    }

    int tileWidth() {
        return tileWidth;
    }

    int tileHeight() {
        return tileHeight;
    }
}
