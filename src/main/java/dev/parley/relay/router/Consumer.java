package dev.parley.relay.router;

import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.WebRtcTransport;
import dev.parley.relay.util.Bytes;

/**
 * One outgoing copy of a producer for one subscriber. It starts when the subscriber has both negotiated its m-section
 * and finished DTLS, and holds video back until a keyframe so the subscriber's decoder never starts mid-picture.
 */
public final class Consumer {

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

    void send(byte[] src, int off, int len, boolean rtx, boolean keyframe, LoopContext ctx) {
        if (!active) {
            return;
        }
        if (waitingForKeyframe) {
            if (rtx || !keyframe) {
                transport.counters().dropped(DropReason.KEYFRAME_WAIT);
                if (ctx.nowNanos() - waitingSinceNanos > 1_000_000_000L) {
                    waitingSinceNanos = ctx.nowNanos();
                    producer.requestKeyframe(ctx);
                }
                return;
            }
            waitingForKeyframe = false;
        }
        int mappedPt = -1;
        if (payloadTypeMap != null) {
            mappedPt = payloadTypeMap[src[off + 1] & 0x7f];
            if (mappedPt < 0) {
                transport.counters().dropped(DropReason.NOT_NEGOTIATED);
                return;
            }
        }
        PacketBuffer out = ctx.outbound();
        out.copyFrom(src, off, len);
        byte[] b = out.buffer();
        int o = out.offset();
        int ssrc = rtx ? producer.outRtxSsrc() : producer.outSsrc();
        Bytes.putInt32(b, o + 8, ssrc);
        if (mappedPt >= 0) {
            b[o + 1] = (byte) ((b[o + 1] & 0x80) | mappedPt);
        }
        if (extensionMap != null && (b[o] & 0x10) != 0) {
            RtpPacket view = ctx.outRtp();
            if (!view.wrap(b, o, len) || !view.remapExtensionIds(extensionMap)) {
                transport.counters().dropped(DropReason.NOT_NEGOTIATED);
                return;
            }
        }
        transport.sendRtp(out, ctx);
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
