package dev.parley.relay.bwe;

/**
 * Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 sections 5.4 and 5.5, with
 * libwebrtc's trendline constants). The trend is scaled by the number of deltas seen (up to 60) and a gain of 4;
 * above the threshold for more than 10 ms and two deltas, with the trend not falling, is overuse; below minus the
 * threshold is underuse. Between the two nothing changes until a sample says otherwise.
 *
 * <p>The threshold follows the scaled trend, slowly up (0.0087 per ms) and faster down (0.039 per ms), within 6 to
 * 600, so that a delay-based flow is not starved by loss-based flows sharing the queue; a trend more than 15 above
 * the threshold (a sudden capacity drop) does not move it.
 */
final class OveruseDetector {

    static final double THRESHOLD_GAIN = 4.0;
    static final int MIN_DELTAS = 60;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double MAX_ADAPT_OFFSET = 15;
    static final double OVERUSING_TIME_MS = 10;
    private static final long MAX_ADAPT_STEP_NANOS = 100_000_000;

    private double threshold = INITIAL_THRESHOLD;
    private long lastUpdateNanos = -1;
    private double timeOverUsingMs = -1;
    private int overuseCount;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /**
     * Updates the state with a new trend from {@code deltaCount} deltas so far; {@code sendDeltaMs} is the send delta
     * of the group it came from, {@code nowNanos} its arrival.
     */
    BandwidthUsage detect(double trend, int deltaCount, double sendDeltaMs, long nowNanos) {
        if (deltaCount < 2) {
            state = BandwidthUsage.NORMAL;
            return state;
        }
        double modifiedTrend = Math.min(deltaCount, MIN_DELTAS) * trend * THRESHOLD_GAIN;
        if (modifiedTrend > threshold) {
            timeOverUsingMs = timeOverUsingMs < 0 ? sendDeltaMs / 2 : timeOverUsingMs + sendDeltaMs;
            overuseCount++;
            if (timeOverUsingMs > OVERUSING_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                timeOverUsingMs = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(modifiedTrend, nowNanos);
        return state;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }

    void reset() {
        threshold = INITIAL_THRESHOLD;
        lastUpdateNanos = -1;
        timeOverUsingMs = -1;
        overuseCount = 0;
        previousTrend = 0;
        state = BandwidthUsage.NORMAL;
    }

    private void adaptThreshold(double modifiedTrend, long nowNanos) {
        if (lastUpdateNanos < 0) {
            lastUpdateNanos = nowNanos;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET) {
            lastUpdateNanos = nowNanos;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        long stepNanos = Math.max(0, Math.min(nowNanos - lastUpdateNanos, MAX_ADAPT_STEP_NANOS));
        threshold += k * (magnitude - threshold) * (stepNanos / 1e6);
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastUpdateNanos = nowNanos;
    }
}
