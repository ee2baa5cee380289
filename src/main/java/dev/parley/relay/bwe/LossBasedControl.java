package dev.parley.relay.bwe;

/**
 * The loss-based bitrate (draft-ietf-rmcat-gcc-02 section 6): the fraction of packets feedback reported lost, taken
 * over at least a second and 20 packets, moves it. Below 2 % it grows by 8 % (plus 1 kbit/s) per such period, above
 * 10 % it shrinks by half the loss fraction, in between it holds: some random loss is not congestion. The fraction is
 * smoothed from period to period (half the last value, half the new one): a period holds only some 50 to 100 packets
 * at common rates, and 5 % of random loss measured over that few would cross 10 % every so often and walk the
 * bitrate down.
 *
 * <p>Loss of 2 % or more while the round trip shows a standing queue is different: it comes from a full drop-tail
 * buffer that the delay-based estimate cannot see (the queue stopped growing, so the delay trend is flat), and
 * holding would keep the queue full for good. So the bitrate backs off as from an overuse, to 0.85 times the
 * acknowledged bitrate, which drains the queue and hands control back to the delay-based estimate.
 *
 * <p>It never goes above the delay-based estimate ({@link #capAt}), so it only ever lowers the target, as libwebrtc's
 * loss-based part does; a successful probe raises it with the delay-based one ({@link #raiseTo}).
 */
final class LossBasedControl {

    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final double INCREASE_FACTOR = 1.08;
    static final long INCREASE_MARGIN = 1_000;
    static final long PERIOD_NANOS = 1_000_000_000;
    static final int MIN_PACKETS = 20;
    static final double LOSS_SMOOTHING = 0.5;

    private final long minBitrate;
    private final long maxBitrate;
    private long bitrate;
    private long lost;
    private long expected;
    private long periodStartNanos = Long.MIN_VALUE;
    private double smoothedLoss = -1;

    LossBasedControl(long initialBitrate, long minBitrate, long maxBitrate) {
        this.minBitrate = minBitrate;
        this.maxBitrate = maxBitrate;
        this.bitrate = clamp(initialBitrate);
    }

    long bitrate() {
        return bitrate;
    }

    /** The smoothed loss fraction as of the last complete period, or -1 before the first. */
    double lossFraction() {
        return smoothedLoss;
    }

    /**
     * Counts one feedback's newly reported packets; at the end of a period, moves the bitrate. {@code ackedBitrate}
     * is negative when unknown.
     */
    void onFeedback(int lostPackets, int receivedPackets, long ackedBitrate, boolean standingQueue, long nowNanos) {
        if (periodStartNanos == Long.MIN_VALUE) {
            periodStartNanos = nowNanos;
        }
        lost += lostPackets;
        expected += lostPackets + receivedPackets;
        if (nowNanos - periodStartNanos < PERIOD_NANOS || expected < MIN_PACKETS) {
            return;
        }
        double periodLoss = Math.max(0, (double) lost / expected);
        smoothedLoss = smoothedLoss < 0 ? periodLoss
                : LOSS_SMOOTHING * smoothedLoss + (1 - LOSS_SMOOTHING) * periodLoss;
        double loss = smoothedLoss;
        if (loss < LOW_LOSS) {
            bitrate = clamp((long) (bitrate * INCREASE_FACTOR) + INCREASE_MARGIN);
        } else if (loss > HIGH_LOSS) {
            bitrate = clamp((long) (bitrate * (1 - 0.5 * loss)));
        }
        if (loss >= LOW_LOSS && standingQueue && ackedBitrate > 0) {
            bitrate = clamp(Math.min(bitrate, (long) (AimdRateControl.BETA * ackedBitrate)));
        }
        lost = 0;
        expected = 0;
        periodStartNanos = nowNanos;
    }

    void capAt(long upper) {
        bitrate = Math.max(minBitrate, Math.min(bitrate, upper));
    }

    void raiseTo(long value) {
        bitrate = Math.max(bitrate, clamp(value));
    }

    void setBitrate(long value) {
        bitrate = clamp(value);
    }

    private long clamp(long value) {
        return Math.max(minBitrate, Math.min(maxBitrate, value));
    }
}
