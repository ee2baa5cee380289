package dev.parley.relay.router;

import dev.parley.relay.bwe.BandwidthEstimator;
import dev.parley.relay.rtcp.TransportFeedback;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.TransportSequenceNumber;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;

/**
 * Send-side congestion control of what the relay sends one subscriber (transport-wide congestion control, as
 * libwebrtc and mediasoup do it). Once the subscriber negotiated the transport-wide sequence number extension, every
 * RTP packet the relay sends it is numbered on this transport's own counter (a publisher's number is overwritten, a
 * missing element added), its feedback drives a {@link BandwidthEstimator}, and probes of padding test a higher
 * bitrate before the allocation raises a layer. Until then, or if it never negotiates it, the element a publisher put
 * in is erased (the subscriber's BUNDLE transport knows the id from its own publishing and would report on it), and
 * the estimate follows the subscriber's REMB. Loop thread only; nothing allocated per packet.
 */
final class CongestionControl {

    /** Canonical id of the element; a subscriber with other ids gets it remapped with the rest. */
    static final int EXTENSION_ID = Layer.TRANSPORT_CC_EXTENSION_ID;
    /** Where the estimate starts: enough for every shown tile's lowest layer and a middle one, not a burst. */
    static final long INITIAL_BITRATE = 800_000;
    static final long MIN_BITRATE = 50_000;
    static final long MAX_BITRATE = 30_000_000;
    /** Feedback newer than this makes the transport-wide estimate the one the allocation follows. */
    static final long FEEDBACK_FRESH_NANOS = 2_000_000_000L;
    /** How long the estimate is followed after negotiation without any feedback yet. */
    static final long FIRST_FEEDBACK_WAIT_NANOS = 5_000_000_000L;
    private static final byte[] ERASE = erasing();

    private final BandwidthEstimator estimator =
            new BandwidthEstimator(INITIAL_BITRATE, MIN_BITRATE, MAX_BITRATE);
    private final TransportFeedback feedback = new TransportFeedback();
    private boolean negotiated;
    private int nextSequence;
    private long lastFeedbackNanos = Long.MIN_VALUE;
    private long enabledNanos;
    /** Bytes of the numbered packets sent, counted as the estimator counts them (before protection). */
    private long numberedBytesSent;

    private static byte[] erasing() {
        byte[] map = new byte[EXTENSION_ID + 1];
        for (int id = 0; id < map.length; id++) {
            map[id] = (byte) id;
        }
        map[EXTENSION_ID] = 0;
        return map;
    }

    /** The subscriber negotiated the extension (and transport-cc feedback): number what it is sent from now on. */
    void enable(long nowNanos) {
        if (!negotiated) {
            negotiated = true;
            enabledNanos = nowNanos;
        }
    }

    boolean isNegotiated() {
        return negotiated;
    }

    /**
     * Numbers the RTP packet in {@code out} (canonical extension ids), or erases a publisher's number when the
     * subscriber did not negotiate the extension. Returns the number given, or -1 when none was (not negotiated, or a
     * malformed extension block, or no room: the packet still goes out, unnumbered). {@code view} is scratch.
     */
    int stamp(PacketBuffer out, RtpPacket view) {
        if (!view.wrap(out.buffer(), out.offset(), out.length())) {
            return -1;
        }
        if (!negotiated) {
            if (view.hasExtension()) {
                view.remapExtensionIds(ERASE);
            }
            return -1;
        }
        int capacity = out.buffer().length - out.offset() - PacketBuffer.SRTP_OVERHEAD;
        int length = TransportSequenceNumber.stamp(view, capacity, EXTENSION_ID, nextSequence);
        if (length < 0) {
            return -1;
        }
        out.set(out.offset(), length);
        int sequence = nextSequence;
        nextSequence = (nextSequence + 1) & 0xFFFF;
        return sequence;
    }

    /**
     * What became of a packet {@link #stamp} numbered: sent ({@code size} bytes before protection), or not sent, in
     * which case its number is given to the next packet so the subscriber sees no gap.
     */
    void onSent(int sequence, int size, boolean sent, boolean probe, long nowNanos) {
        if (sequence < 0) {
            return;
        }
        if (!sent) {
            if (((sequence + 1) & 0xFFFF) == nextSequence) {
                nextSequence = sequence;
            }
            return;
        }
        numberedBytesSent += size;
        estimator.onPacketSent(sequence, size, nowNanos, probe);
    }

    /**
     * Bytes of the numbered packets sent so far, as {@link #acknowledgedBitrate} counts what arrived: RTP before
     * protection, probes included, no RTCP.
     */
    long numberedBytesSent() {
        return numberedBytesSent;
    }

    /**
     * Transport-wide feedback from the subscriber.
     *
     * @return null when taken; else why it was dropped: it does not parse, or it reports on far more packets than
     *     were sent
     */
    DropReason onFeedback(byte[] buf, int off, int len, long nowNanos) {
        if (!feedback.wrap(buf, off, len)) {
            return DropReason.MALFORMED_RTCP;
        }
        if (negotiated) {
            if (!estimator.onFeedback(feedback, nowNanos)) {
                return DropReason.FEEDBACK_OVER_BUDGET;
            }
            lastFeedbackNanos = nowNanos;
        }
        return null;
    }

    /** The subscriber is gone: what was kept for its feedback goes (a finished section may keep this for long). */
    void release() {
        estimator.release();
    }

    /** Packets the estimator's send history has room for: 0 when it keeps none. */
    int historyCapacity() {
        return estimator.historyCapacity();
    }

    void onRemb(long bitrate, long nowNanos) {
        estimator.onRemb(bitrate, nowNanos);
    }

    /**
     * Whether {@link #estimate} is the one to follow: transport-wide feedback arrives, or it was negotiated lately and
     * the first feedback is still to come (so the start is not judged by REMB and then again by this).
     */
    boolean governs(long nowNanos) {
        if (!negotiated) {
            return false;
        }
        if (lastFeedbackNanos == Long.MIN_VALUE) {
            return nowNanos - enabledNanos < FIRST_FEEDBACK_WAIT_NANOS;
        }
        return nowNanos - lastFeedbackNanos < FEEDBACK_FRESH_NANOS;
    }

    /** The send-side estimate, bit/s. */
    long estimate() {
        return estimator.estimate();
    }

    /** What the subscriber reported receiving lately, bit/s (RTP as sent, before protection), or -1. */
    long acknowledgedBitrate() {
        return estimator.acknowledgedBitrate();
    }

    /** The smoothed loss the subscriber reports, 0 to 1, or -1 before a loss period completed. */
    double lossFraction() {
        return estimator.lossFraction();
    }

    /** Starts a probe toward {@code targetBitrate}; false if one runs or the target is not above the estimate. */
    boolean startProbe(long targetBitrate, long nowNanos) {
        return negotiated && estimator.startProbe(targetBitrate, nowNanos);
    }

    boolean isProbing() {
        return estimator.isProbing();
    }

    /** The bitrate the last probe proved, or -1. */
    long lastProbeResult() {
        return estimator.lastProbeResult();
    }

    /** Padding bytes a running probe wants sent now. */
    int probePaddingBytes(long nowNanos) {
        return negotiated ? estimator.probePaddingBytes(nowNanos) : 0;
    }
}
