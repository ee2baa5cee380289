package dev.parley.relay.bwe;

/**
 * The capacity of the bottleneck as seen at each overuse: a moving average of the acknowledged bitrate at the moment
 * the delay detector fired, and its normalised variance. While the acknowledged bitrate stays within three standard
 * deviations, the rate controller increases additively near it; outside, the estimate is forgotten.
 */
final class LinkCapacity {

    private static final double ALPHA = 0.05;
    private static final double MIN_DEVIATION = 0.4;
    private static final double MAX_DEVIATION = 2.5;

    private double estimateKbps = -1;
    private double deviationKbps = MIN_DEVIATION;

    boolean hasEstimate() {
        return estimateKbps >= 0;
    }

    /** Bits per second; only meaningful with {@link #hasEstimate()}. */
    long estimate() {
        return (long) (estimateKbps * 1000);
    }

    long upperBound() {
        return hasEstimate() ? (long) ((estimateKbps + 3 * standardDeviationKbps()) * 1000) : Long.MAX_VALUE;
    }

    long lowerBound() {
        return hasEstimate() ? (long) (Math.max(0, estimateKbps - 3 * standardDeviationKbps()) * 1000) : 0;
    }

    void onOveruse(long ackedBitrate) {
        double sampleKbps = ackedBitrate / 1000.0;
        estimateKbps = hasEstimate() ? (1 - ALPHA) * estimateKbps + ALPHA * sampleKbps : sampleKbps;
        double norm = Math.max(estimateKbps, 1.0);
        double error = estimateKbps - sampleKbps;
        deviationKbps = (1 - ALPHA) * deviationKbps + ALPHA * error * error / norm;
        deviationKbps = Math.max(MIN_DEVIATION, Math.min(MAX_DEVIATION, deviationKbps));
    }

    void reset() {
        estimateKbps = -1;
    }

    private double standardDeviationKbps() {
        return Math.sqrt(deviationKbps * estimateKbps);
    }
}
