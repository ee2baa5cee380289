package dev.parley.relay.client;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.RtpReceiveStatistics;
import dev.parley.relay.rtp.Vp8Payload;

/**
 * What arrived from one remote SSRC: counters, RFC 3550 receive statistics (for our receiver reports), key frames,
 * and the probes' latency, loss and reordering.
 *
 * <p>Written only by the endpoint's receive thread (allocation-free per packet); readable from any thread. Counters
 * are volatile, so a reader sees recent values; values read together are not a consistent snapshot.
 */
public final class InboundStream {

    private final int ssrc;
    private final RtpReceiveStatistics statistics;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final long createdNanos;

    private volatile String mid;
    private volatile MediaKind kind;
    private volatile int payloadType = -1;
    private volatile long packets;
    private volatile long bytes;
    private volatile long keyframes;
    private volatile long probes;
    private volatile long probesReordered;
    private volatile long firstProbe = -1;
    private volatile long highestProbe = -1;
    private volatile long lastArrivalNanos;
    private volatile boolean goodbye;

    InboundStream(int ssrc, String mid, long nowNanos) {
        this.ssrc = ssrc;
        this.mid = mid;
        this.statistics = new RtpReceiveStatistics(ssrc);
        this.createdNanos = nowNanos;
    }

    /** Accounts one decrypted packet; {@code kindOfPayloadType} comes from the negotiated codecs (null if unknown). */
    void onPacket(RtpPacket packet, long nowNanos, MediaKind kindOfPayloadType, LatencyHistogram aggregate,
            MediaListener listener) {
        int pt = packet.payloadType();
        payloadType = pt;
        if (kindOfPayloadType != null) {
            kind = kindOfPayloadType;
        }
        byte[] buf = packet.buffer();
        int payloadOff = packet.payloadOffset();
        int payloadLen = packet.payloadLength();
        packets = packets + 1;
        bytes = bytes + payloadLen;
        lastArrivalNanos = nowNanos;

        int clockRate = kindOfPayloadType != null ? ClientCodec.of(kindOfPayloadType).clockRate()
                : ClientCodec.VP8.clockRate();
        long elapsedMicros = (nowNanos - createdNanos) / 1000;
        statistics.update(packet.sequenceNumber(), packet.timestamp(), elapsedMicros * clockRate / 1_000_000);

        boolean vp8 = kindOfPayloadType == MediaKind.VIDEO;
        boolean keyframe = vp8 && Vp8Payload.isKeyframe(buf, payloadOff, payloadLen);
        if (keyframe) {
            keyframes = keyframes + 1;
        }
        int probeAt = ProbePayload.locate(buf, payloadOff, payloadLen, vp8);
        if (probeAt < 0 && kindOfPayloadType == null) {
            probeAt = ProbePayload.locate(buf, payloadOff, payloadLen, true);
        }
        long probeSequence = -1;
        long latencyNanos = -1;
        if (probeAt >= 0) {
            probeSequence = ProbePayload.sequence(buf, probeAt);
            latencyNanos = nowNanos - ProbePayload.sendNanos(buf, probeAt);
            latency.record(latencyNanos);
            if (aggregate != null) {
                aggregate.record(latencyNanos);
            }
            onProbe(probeSequence);
        }
        if (listener != null) {
            listener.onRtp(ssrc, pt, packet.sequenceNumber(), payloadLen, keyframe, probeSequence, latencyNanos);
        }
    }

    private void onProbe(long sequence) {
        probes = probes + 1;
        if (firstProbe < 0 || sequence < firstProbe) {
            firstProbe = sequence;
        }
        if (sequence > highestProbe) {
            highestProbe = sequence;
        } else {
            probesReordered = probesReordered + 1;
        }
    }

    void onSenderReport(long ntpTimestamp, long nowMillis) {
        statistics.onSenderReport(ntpTimestamp, nowMillis);
    }

    void onGoodbye() {
        goodbye = true;
    }

    void assignMid(String value) {
        mid = value;
    }

    /** For receiver reports; read on the RTCP timer thread (benign races with the receive thread). */
    RtpReceiveStatistics statistics() {
        return statistics;
    }

    public int ssrc() {
        return ssrc;
    }

    /** The m-section this SSRC belongs to (from the remote SDP's a=ssrc lines or the MID header extension), or null. */
    public String mid() {
        return mid;
    }

    /** Audio or video by the negotiated payload type, or null while unknown. */
    public MediaKind kind() {
        return kind;
    }

    /** Payload type of the latest packet, -1 before any. */
    public int payloadType() {
        return payloadType;
    }

    public long packets() {
        return packets;
    }

    /** RTP payload bytes (headers and padding excluded). */
    public long bytes() {
        return bytes;
    }

    /** Packets that start a VP8 key frame. */
    public long keyframes() {
        return keyframes;
    }

    /** Packets that carried a probe. */
    public long probes() {
        return probes;
    }

    /** Probes that arrived after a probe with a higher sequence number (reordered, or duplicated). */
    public long probesReordered() {
        return probesReordered;
    }

    /**
     * Probes missing between the lowest and highest probe sequence numbers seen, assuming the network does not
     * duplicate packets (a duplicate would hide one loss).
     */
    public long probesLost() {
        long first = firstProbe;
        long highest = highestProbe;
        if (first < 0) {
            return 0;
        }
        return Math.max(0, highest - first + 1 - probes);
    }

    public LatencyHistogram latency() {
        return latency;
    }

    /** System.nanoTime() of the latest packet, 0 before any. */
    public long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Whether an RTCP BYE for this SSRC arrived. */
    public boolean goodbyeReceived() {
        return goodbye;
    }

    @Override
    public String toString() {
        return "InboundStream[ssrc=" + Integer.toUnsignedString(ssrc) + ", mid=" + mid + ", pt=" + payloadType
                + ", packets=" + packets + ", keyframes=" + keyframes + ", probes=" + probes + "]";
    }
}
