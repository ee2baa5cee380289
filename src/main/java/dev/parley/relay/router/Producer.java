package dev.parley.relay.router;

import dev.parley.relay.rtcp.PictureLossIndication;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.H264Payload;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.RtpReceiveStatistics;
import dev.parley.relay.rtp.Vp8Payload;
import dev.parley.relay.rtp.Vp9Payload;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.WebRtcTransport;
import java.util.Arrays;

/**
 * One incoming track of a participant: the SSRCs it arrives on, the codec, and the consumers that copy it to other
 * participants. Incoming packets are normalised once (canonical payload type and extension ids, the relay's own SSRC
 * for the outside) and then copied to every consumer. Only the relay loop thread touches a producer.
 */
public final class Producer {

    /** At most one keyframe request per publisher track in this window; more are merged into one. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;
    private static final Consumer[] NO_CONSUMERS = new Consumer[0];

    private final String id;
    private final MediaKind kind;
    private final Endpoint endpoint;
    private final WebRtcTransport transport; // the endpoint's, kept here for the packet path
    private final String trackId;
    private final RtpCodecSpec codec;
    private final int[] payloadTypeMap = new int[128];
    private final byte[] extensionMap;
    private final int outSsrc;
    private final int outRtxSsrc;
    private int ssrc;
    private int rtxSsrc;
    private RtpReceiveStatistics statistics;
    private Consumer[] consumers = NO_CONSUMERS;
    private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    private boolean keyframeRequestPending;
    private long packets;
    private long bytes;
    private long keyframes;
    private boolean closed;

    /**
     * @param incomingPayloadType the publisher's payload type for the codec (canonical for browsers)
     * @param incomingRtxPayloadType the publisher's RTX payload type, or -1
     * @param extensionMap publisher extension id to canonical id (0 drops it), or null when they are canonical
     */
    public Producer(String id, MediaKind kind, Endpoint endpoint, String trackId, RtpCodecSpec codec,
                    int incomingPayloadType, int incomingRtxPayloadType, byte[] extensionMap, int outSsrc,
                    int outRtxSsrc) {
        this.id = id;
        this.kind = kind;
        this.endpoint = endpoint;
        this.transport = endpoint.transport();
        this.trackId = trackId;
        this.codec = codec;
        this.extensionMap = extensionMap;
        this.outSsrc = outSsrc;
        this.outRtxSsrc = outRtxSsrc;
        Arrays.fill(payloadTypeMap, -1);
        payloadTypeMap[incomingPayloadType] = codec.payloadType();
        if (incomingRtxPayloadType >= 0 && codec.hasRtx()) {
            payloadTypeMap[incomingRtxPayloadType] = codec.rtxPayloadType();
        }
    }

    public boolean acceptsPayloadType(int payloadType) {
        return payloadTypeMap[payloadType & 0x7f] >= 0;
    }

    public boolean isRtxPayloadType(int incomingPayloadType) {
        return codec.hasRtx() && payloadTypeMap[incomingPayloadType & 0x7f] == codec.rtxPayloadType();
    }

    /** Binds the primary or RTX SSRC; returns false when that slot is taken by another SSRC. */
    public boolean bindSsrc(int newSsrc, boolean rtx) {
        if (rtx) {
            if (rtxSsrc != 0 && rtxSsrc != newSsrc) {
                return false;
            }
            rtxSsrc = newSsrc;
        } else {
            if (ssrc != 0 && ssrc != newSsrc) {
                return false;
            }
            if (ssrc == 0) {
                statistics = new RtpReceiveStatistics(newSsrc);
            }
            ssrc = newSsrc;
        }
        return true;
    }

    /** An RTP packet from the publisher, already decrypted into {@code in} and parsed into {@code rtp}. */
    public void onRtp(PacketBuffer in, RtpPacket rtp, LoopContext ctx) {
        int incomingPt = rtp.payloadType();
        int canonicalPt = payloadTypeMap[incomingPt];
        if (canonicalPt < 0) {
            transport.counters().dropped(DropReason.UNKNOWN_PAYLOAD_TYPE);
            return;
        }
        if (canonicalPt != incomingPt) {
            rtp.setPayloadType(canonicalPt);
        }
        if (extensionMap != null && rtp.hasExtension() && !rtp.remapExtensionIds(extensionMap)) {
            transport.counters().dropped(DropReason.MALFORMED_RTP);
            return;
        }
        boolean rtx = rtp.ssrc() == rtxSsrc && rtxSsrc != 0;
        boolean keyframe = false;
        if (!rtx) {
            long arrival = ctx.nowNanos() / 1000 * codec.clockRate() / 1_000_000;
            statistics.update(rtp.sequenceNumber(), rtp.timestamp(), arrival);
            if (kind == MediaKind.VIDEO) {
                keyframe = isKeyframe(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
                if (keyframe) {
                    keyframes++;
                }
            }
        }
        packets++;
        bytes += in.length();
        Consumer[] targets = consumers;
        for (Consumer consumer : targets) {
            consumer.send(in.buffer(), in.offset(), in.length(), rtx, keyframe, ctx);
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

    /** A sender report from the publisher: remember it for our receiver reports and pass it on to subscribers. */
    public void onSenderReport(byte[] buf, int off, SenderReport report, LoopContext ctx) {
        if (report.senderSsrc() != ssrc || statistics == null) {
            return;
        }
        statistics.onSenderReport(report.ntpTimestamp(), ctx.nowNanos() / 1_000_000);
        for (Consumer consumer : consumers) {
            consumer.forwardSenderReport(buf, off, ctx);
        }
    }

    /** A subscriber lost its picture: ask the publisher for a keyframe, at most once per interval. */
    public void requestKeyframe(LoopContext ctx) {
        if (kind != MediaKind.VIDEO || closed) {
            return;
        }
        // Held back until the interval has passed, the SSRC is known and the publisher's DTLS is done; then the tick
        // sends it.
        if (ctx.nowNanos() - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS || ssrc == 0
                || !transport.isConnected()) {
            keyframeRequestPending = true;
            return;
        }
        keyframeRequestPending = false;
        lastKeyframeRequestNanos = ctx.nowNanos();
        PacketBuffer out = ctx.control();
        int len = PictureLossIndication.write(out.buffer(), 0, endpoint.rtcpSsrc(), ssrc);
        out.set(0, len);
        transport.sendRtcp(out, ctx);
    }

    /** Sends a request that was held back by the rate limit, once the interval has passed. */
    public void flushPendingKeyframeRequest(LoopContext ctx) {
        if (keyframeRequestPending && ctx.nowNanos() - lastKeyframeRequestNanos >= KEYFRAME_REQUEST_INTERVAL_NANOS) {
            requestKeyframe(ctx);
        }
    }

    /** Forwards a subscriber's NACK (already copied into the control buffer) to the publisher. */
    public void forwardNack(PacketBuffer nack, dev.parley.relay.rtcp.FeedbackPacket view, LoopContext ctx) {
        if (ssrc == 0 || closed) {
            return;
        }
        view.setSenderSsrc(endpoint.rtcpSsrc());
        view.setMediaSsrc(ssrc);
        transport.sendRtcp(nack, ctx);
    }

    /** Starts copying to a consumer (the subscriber's transport created it). */
    public void attach(Consumer consumer) {
        Consumer[] next = Arrays.copyOf(consumers, consumers.length + 1);
        next[next.length - 1] = consumer;
        consumers = next;
    }

    void removeConsumer(Consumer consumer) {
        Consumer[] current = consumers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == consumer) {
                Consumer[] next = new Consumer[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                consumers = next;
                return;
            }
        }
    }

    void close() {
        closed = true;
        for (Consumer consumer : consumers) {
            consumer.close();
        }
        consumers = NO_CONSUMERS;
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

    public Endpoint endpoint() {
        return endpoint;
    }

    public String trackId() {
        return trackId;
    }

    public RtpCodecSpec codec() {
        return codec;
    }

    public int ssrc() {
        return ssrc;
    }

    public int rtxSsrc() {
        return rtxSsrc;
    }

    public int outSsrc() {
        return outSsrc;
    }

    public int outRtxSsrc() {
        return outRtxSsrc;
    }

    public RtpReceiveStatistics statistics() {
        return statistics;
    }

    public int consumerCount() {
        return consumers.length;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long keyframes() {
        return keyframes;
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind + " " + codec.name() + " ssrc=" + Integer.toUnsignedString(ssrc) + "]";
    }
}
