package dev.parley.relay.bwe;

/**
 * The delay-based estimate (draft-ietf-rmcat-gcc-02 section 5): received packets, in arrival order, form
 * {@link PacketGroups}; each completed group's delay variation updates the {@link TrendlineFilter}, whose trend the
 * {@link OveruseDetector} judges; once per feedback the {@link AimdRateControl} acts on the verdict.
 */
final class DelayBasedEstimator {

    private final PacketGroups groups = new PacketGroups();
    private final TrendlineFilter trendline = new TrendlineFilter();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateControl rateControl;

    DelayBasedEstimator(long initialBitrate, long minBitrate, long maxBitrate) {
        rateControl = new AimdRateControl(initialBitrate, minBitrate, maxBitrate);
    }

    /** One received packet of a feedback, in arrival order. */
    void onPacket(long sendNanos, long arrivalNanos, int size) {
        if (groups.add(sendNanos, arrivalNanos, size)) {
            double sendDeltaMs = groups.sendDeltaNanos() / 1e6;
            double variationMs = groups.arrivalDeltaNanos() / 1e6 - sendDeltaMs;
            double trend = trendline.update(variationMs, groups.completedArrivalNanos());
            detector.detect(trend, trendline.deltaCount(), sendDeltaMs, groups.completedArrivalNanos());
        }
    }

    /**
     * Acts on the detector's verdict once the feedback's packets are in. While overusing, decreases at most once per
     * round trip, and halves when no acknowledged bitrate ({@code ackedBitrate < 0}) is known yet to decrease from.
     */
    long update(long ackedBitrate, long rttNanos, long nowNanos) {
        rateControl.setRttNanos(rttNanos);
        if (detector.state() != BandwidthUsage.OVERUSING) {
            return rateControl.update(detector.state(), ackedBitrate, nowNanos);
        }
        if (ackedBitrate >= 0) {
            if (rateControl.timeToReduceFurther(nowNanos, ackedBitrate)) {
                rateControl.update(BandwidthUsage.OVERUSING, ackedBitrate, nowNanos);
            }
        } else if (rateControl.timeToReduceFurther(nowNanos, Long.MAX_VALUE)) {
            rateControl.setEstimate(rateControl.bitrate() / 2, nowNanos);
        }
        return rateControl.bitrate();
    }

    long bitrate() {
        return rateControl.bitrate();
    }

    BandwidthUsage state() {
        return detector.state();
    }

    void setEstimate(long bitrate, long nowNanos) {
        rateControl.setEstimate(bitrate, nowNanos);
    }
}
