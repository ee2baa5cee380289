package dev.parley.relay.bwe;

/**
 * The delay-based rate controller (draft-ietf-rmcat-gcc-02 section 5.5, as libwebrtc runs it): a state machine that
 * overuse sends to decrease, underuse to hold and a normal path from hold to increase.
 *
 * <ul>
 *   <li>Decrease: to 0.85 times the acknowledged bitrate (less 5 kbit/s), never upward; the bitrate acknowledged at
 *       that moment feeds the {@link LinkCapacity} estimate. Then hold.
 *   <li>Increase: multiplicative, 8 % per second, while the link capacity is unknown; additive near a known capacity,
 *       about one packet per response time (two round trips plus the detector's 100 ms) per second. Never above 1.5
 *       times the acknowledged bitrate plus 10 kbit/s, so an application-limited sender does not inflate it.
 * </ul>
 */
final class AimdRateControl {

    static final double BETA = 0.85;
    static final double INCREASE_FACTOR_PER_SECOND = 1.08;
    private static final long MIN_MULTIPLICATIVE_INCREASE = 1_000;
    private static final long DECREASE_MARGIN = 5_000;
    private static final long INCREASE_LIMIT_MARGIN = 10_000;
    private static final double FRAME_RATE = 30;
    private static final int PACKET_SIZE_BITS = 1200 * 8;
    private static final long DETECTOR_DELAY_NANOS = 100_000_000;
    private static final double MIN_ADDITIVE_INCREASE_PER_SECOND = 4_000;
    private static final long MIN_REDUCTION_INTERVAL_NANOS = 10_000_000;
    private static final long MAX_REDUCTION_INTERVAL_NANOS = 200_000_000;

    private enum State { HOLD, INCREASE, DECREASE }

    private final long minBitrate;
    private final long maxBitrate;
    private final LinkCapacity linkCapacity = new LinkCapacity();
    private long bitrate;
    private long latestAcked = -1;
    private State state = State.HOLD;
    private long lastChangeNanos = Long.MIN_VALUE;
    private long rttNanos = 200_000_000;

    AimdRateControl(long initialBitrate, long minBitrate, long maxBitrate) {
        this.minBitrate = minBitrate;
        this.maxBitrate = maxBitrate;
        this.bitrate = clamp(initialBitrate);
    }

    long bitrate() {
        return bitrate;
    }

    void setRttNanos(long rtt) {
        rttNanos = rtt;
    }

    /** Sets the estimate outright (a probe result, a timeout cut). */
    void setEstimate(long newBitrate, long nowNanos) {
        bitrate = clamp(newBitrate);
        lastChangeNanos = nowNanos;
    }

    /**
     * Whether enough time has passed since the last change to decrease again while the overuse goes on: a round trip
     * (10 to 200 ms), or at once if the acknowledged bitrate fell below half the estimate.
     */
    boolean timeToReduceFurther(long nowNanos, long ackedBitrate) {
        long interval = Math.max(MIN_REDUCTION_INTERVAL_NANOS, Math.min(MAX_REDUCTION_INTERVAL_NANOS, rttNanos));
        if (lastChangeNanos == Long.MIN_VALUE || nowNanos - lastChangeNanos >= interval) {
            return true;
        }
        return ackedBitrate < bitrate / 2;
    }

    /** One step of the controller; {@code ackedBitrate} negative when not known yet. Returns the new bitrate. */
    long update(BandwidthUsage usage, long ackedBitrate, long nowNanos) {
        if (ackedBitrate >= 0) {
            latestAcked = ackedBitrate;
        }
        long throughput = latestAcked >= 0 ? latestAcked : bitrate;
        changeState(usage, nowNanos);
        switch (state) {
            case INCREASE -> increase(throughput, nowNanos);
            case DECREASE -> decrease(throughput, nowNanos);
            default -> {
            }
        }
        return bitrate;
    }

    private void changeState(BandwidthUsage usage, long nowNanos) {
        switch (usage) {
            case NORMAL -> {
                if (state == State.HOLD) {
                    lastChangeNanos = nowNanos;
                    state = State.INCREASE;
                }
            }
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
        }
    }

    private void increase(long throughput, long nowNanos) {
        if (throughput > linkCapacity.upperBound()) {
            linkCapacity.reset();
        }
        long limit = (long) (1.5 * throughput) + INCREASE_LIMIT_MARGIN;
        if (bitrate < limit) {
            double seconds = lastChangeNanos == Long.MIN_VALUE ? 0 : (nowNanos - lastChangeNanos) / 1e9;
            long increased = linkCapacity.hasEstimate() ? bitrate + additiveIncrease(seconds)
                    : bitrate + multiplicativeIncrease(seconds);
            bitrate = clamp(Math.min(increased, limit));
        }
        lastChangeNanos = nowNanos;
    }

    private void decrease(long throughput, long nowNanos) {
        long decreased = (long) (BETA * throughput);
        if (decreased > DECREASE_MARGIN) {
            decreased -= DECREASE_MARGIN;
        }
        if (decreased > bitrate && linkCapacity.hasEstimate()) {
            decreased = (long) (BETA * linkCapacity.estimate());
        }
        if (decreased < bitrate) {
            bitrate = clamp(decreased);
        }
        if (throughput < linkCapacity.lowerBound()) {
            linkCapacity.reset();
        }
        linkCapacity.onOveruse(throughput);
        state = State.HOLD;
        lastChangeNanos = nowNanos;
    }

    private long multiplicativeIncrease(double seconds) {
        double factor = Math.pow(INCREASE_FACTOR_PER_SECOND, Math.min(seconds, 1.0));
        return Math.max((long) (bitrate * (factor - 1)), MIN_MULTIPLICATIVE_INCREASE);
    }

    /** About one average packet of a 30 fps stream per response time. */
    private long additiveIncrease(double seconds) {
        double frameBits = bitrate / FRAME_RATE;
        double packetsPerFrame = Math.ceil(frameBits / PACKET_SIZE_BITS);
        double averagePacketBits = frameBits / Math.max(packetsPerFrame, 1);
        double responseSeconds = 2 * (rttNanos + DETECTOR_DELAY_NANOS) / 1e9;
        double perSecond = Math.max(MIN_ADDITIVE_INCREASE_PER_SECOND, averagePacketBits / responseSeconds);
        return (long) (perSecond * seconds);
    }

    private long clamp(long value) {
        return Math.max(minBitrate, Math.min(maxBitrate, value));
    }
}
