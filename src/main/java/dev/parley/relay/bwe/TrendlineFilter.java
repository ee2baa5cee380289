package dev.parley.relay.bwe;

/**
 * The trend of the queuing delay, as libwebrtc estimates it in place of the draft's Kalman filter: the inter-group
 * delay variations are summed into an accumulated delay, smoothed exponentially (coefficient 0.9), and the slope of a
 * least-squares line through the last 20 (arrival time, smoothed delay) points is the trend. The slope has no unit (ms
 * of delay per ms of time): about (send rate - capacity) / capacity while a queue grows, negative while it drains.
 */
final class TrendlineFilter {

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final int MAX_DELTA_COUNT = 1000;

    private final double[] arrivalMs = new double[WINDOW];
    private final double[] smoothedDelayMs = new double[WINDOW];
    private int points;
    private int next;

    private long firstArrivalNanos = -1;
    private double accumulatedDelayMs;
    private double smoothedDelay;
    private double trend;
    private int deltaCount;

    /** Adds one delay variation (ms) of a group that completed at {@code arrivalNanos}; returns the trend. */
    double update(double delayVariationMs, long arrivalNanos) {
        deltaCount = Math.min(deltaCount + 1, MAX_DELTA_COUNT);
        if (firstArrivalNanos < 0) {
            firstArrivalNanos = arrivalNanos;
        }
        accumulatedDelayMs += delayVariationMs;
        smoothedDelay = SMOOTHING * smoothedDelay + (1 - SMOOTHING) * accumulatedDelayMs;
        arrivalMs[next] = (arrivalNanos - firstArrivalNanos) / 1e6;
        smoothedDelayMs[next] = smoothedDelay;
        next = (next + 1) % WINDOW;
        points = Math.min(points + 1, WINDOW);
        if (points == WINDOW) {
            double slope = slope();
            if (!Double.isNaN(slope)) {
                trend = slope;
            }
        }
        return trend;
    }

    double trend() {
        return trend;
    }

    /** Delay variations seen so far, up to {@link #MAX_DELTA_COUNT}. */
    int deltaCount() {
        return deltaCount;
    }

    void reset() {
        points = 0;
        next = 0;
        firstArrivalNanos = -1;
        accumulatedDelayMs = 0;
        smoothedDelay = 0;
        trend = 0;
        deltaCount = 0;
    }

    private double slope() {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW; i++) {
            sumX += arrivalMs[i];
            sumY += smoothedDelayMs[i];
        }
        double meanX = sumX / WINDOW;
        double meanY = sumY / WINDOW;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW; i++) {
            double dx = arrivalMs[i] - meanX;
            numerator += dx * (smoothedDelayMs[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }
}
