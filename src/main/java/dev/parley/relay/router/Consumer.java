package dev.parley.relay.router;

import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.WebRtcTransport;
import dev.parley.relay.util.TokenBucket;
import dev.parley.relay.util.Bytes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One outgoing copy of a producer for one subscriber. It starts when the subscriber has both negotiated its m-section
 * and finished DTLS, and holds video back until a keyframe so the subscriber's decoder never starts mid-picture.
 */
public final class Consumer {

    /**
     * Retransmissions a subscriber may get: a burst, then about a 2.5 Mbit/s stream's whole packet rate. A NACK can name
     * hundreds of packets in 1,500 bytes, so without a budget one subscriber could make the relay send it a hundred
     * times what it sends (to itself, and at the cost of everyone's loop time).
     */
    static final int RETRANSMIT_BURST = 128;
    static final double RETRANSMITS_PER_SECOND = 250;

    private final Producer producer;
    private final Endpoint endpoint;
    private final WebRtcTransport transport; // the endpoint's, kept here for the packet path
    private final String mid;
    private final int[] payloadTypeMap;
    private final byte[] extensionMap;
    private boolean negotiated;
    private boolean active;
    private boolean waitingForKeyframe;
    private long waitingSinceNanos;
    private boolean closed;
    private int rtxSequence = ThreadLocalRandom.current().nextInt(0x10000);
    /** Created at the first retransmission, on the loop's clock. */
    private TokenBucket retransmissions;

    /**
     * @param payloadTypeMap canonical payload type to the subscriber's (-1: not negotiated, skip), or null for identity
     * @param extensionMap canonical extension id to the subscriber's (0 strips it), or null for identity
     */
    public Consumer(Producer producer, Endpoint endpoint, String mid, int[] payloadTypeMap, byte[] extensionMap) {
        this.producer = producer;
        this.endpoint = endpoint;
        this.transport = endpoint.transport();
        this.mid = mid;
        this.payloadTypeMap = payloadTypeMap;
        this.extensionMap = extensionMap;
    }

    void send(byte[] src, int off, int len, boolean keyframe, LoopContext ctx) {
        if (!active) {
            return;
        }
        if (waitingForKeyframe) {
            if (!keyframe) {
                transport.counters().dropped(DropReason.KEYFRAME_WAIT);
                if (ctx.nowNanos() - waitingSinceNanos > 1_000_000_000L) {
                    waitingSinceNanos = ctx.nowNanos();
                    producer.requestKeyframe(ctx);
                }
                return;
            }
            waitingForKeyframe = false;
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
        Bytes.putInt32(b, o + 8, producer.outSsrc());
        b[o + 1] = (byte) ((b[o + 1] & 0x80) | mappedPt);
        if (remapExtensions(out, ctx)) {
            transport.sendRtp(out, ctx);
        }
    }

    /**
     * Sends a cached packet again as RTX (RFC 4588 4: the RTX payload type and SSRC, the consumer's own RTX sequence
     * number, the original sequence number before the payload). Returns whether it was sent: not before the consumer
     * started, while it waits for a keyframe, or to a subscriber that did not negotiate RTX. Resending in the original
     * stream is never done: under SRTP it would reuse the packet's index, and with AES-GCM a second plaintext under the
     * same nonce (a header extension that changed, say) would give the key stream away.
     */
    boolean retransmit(byte[] packet, int len, LoopContext ctx) {
        if (!active || waitingForKeyframe) {
            return false;
        }
        if (retransmissions == null) {
            retransmissions = new TokenBucket(RETRANSMIT_BURST, RETRANSMITS_PER_SECOND, ctx.nowNanos());
        }
        if (!retransmissions.tryTake(ctx.nowNanos())) {
            return false; // a subscriber NACKing far more than it could have lost gets keyframes, not a flood
        }
        RtpCodecSpec codec = producer.codec();
        int rtxPt = codec.hasRtx() && producer.outRtxSsrc() != 0 ? mappedPayloadType(codec.rtxPayloadType()) : -1;
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
        Bytes.putUint16(b, o + header, original.sequenceNumber());
        System.arraycopy(packet, original.payloadOffset(), b, o + header + 2, payload);
        out.set(o, header + 2 + payload);
        b[o] &= (byte) ~0x20; // padding is not carried over
        b[o + 1] = (byte) ((b[o + 1] & 0x80) | rtxPt);
        Bytes.putUint16(b, o + 2, rtxSequence);
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        Bytes.putInt32(b, o + 8, producer.outRtxSsrc());
        return remapExtensions(out, ctx) && transport.sendRtp(out, ctx);
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

    /** Passes the publisher's sender report on, re-addressed to the SSRC the subscriber knows; report blocks dropped. */
    void forwardSenderReport(byte[] src, int srcOff, LoopContext ctx) {
        if (!active) {
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
        copy.setSenderSsrc(producer.outSsrc());
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
        if (producer.kind() == MediaKind.VIDEO) {
            waitingForKeyframe = true;
            waitingSinceNanos = ctx.nowNanos();
            producer.requestKeyframe(ctx);
        }
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        active = false;
        producer.removeConsumer(this);
        endpoint.onConsumerClosed(this);
    }

    public Producer producer() {
        return producer;
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



}
