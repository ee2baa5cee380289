package dev.parley.relay.bwe;

/**
 * One probe cluster: padding worth a target bitrate above the estimate for about 15 ms, and no fewer than five
 * packets, and what the receiver made of it. The bitrate the path carried is the bytes received (less the first
 * packet's) over the receive interval of the cluster's packets, an interval never taken as shorter than the 250 µs
 * transport-wide feedback can tell apart. If they were sent over a measurable interval, it is no more than the send
 * rate, and only 95 % of the receive rate when they arrived noticeably slower than they were sent (the path was
 * saturated); if they were sent as one burst, 95 % of the receive rate. Never more than the target. The cluster counts
 * only when at least 80 % of its packets (and no fewer than 4) arrived.
 *
 * <p>The cluster goes out as one burst, so at a low target its size is set by the packet count, not the 15 ms: the
 * relay's padding packets are small (about 250 bytes), and five of them put some 30 ms of queue on a 350 kbit/s link.
 * A floor of 6,000 bytes (five packets of 1,200, as libwebrtc sizes its probes) put 140 ms there: the delay it added
 * read as overuse, so the estimate the probe had just proved was refused, and a video paused on such a link never
 * came back.
 *
 * <p>Reused from probe to probe (a new id each time), so it allocates nothing.
 */
final class ProbeCluster {

    static final long DURATION_NANOS = 15_000_000;
    /** At least this many packets, however low the target. */
    static final int MIN_PACKETS = 5;
    /** Transport-wide feedback's resolution: arrivals closer than this may be reported as one instant. */
    static final long ARRIVAL_RESOLUTION_NANOS = 250_000;
    static final long SEND_TIMEOUT_NANOS = 100_000_000;
    static final long RESULT_TIMEOUT_NANOS = 1_000_000_000;
    static final double MIN_RECEIVED_FRACTION = 0.8;
    static final int MIN_RECEIVED_PACKETS = 4;
    private static final double SATURATED_RATIO = 0.9;
    private static final double SATURATED_UTILISATION = 0.95;
    private static final long MIN_SEND_INTERVAL_NANOS = 1_000_000;

    enum State { IDLE, SENDING, AWAITING_FEEDBACK }

    private State state = State.IDLE;
    private int id;
    private long targetBitrate;
    private long startNanos;
    private int bytesToSend;
    private int bytesSent;
    private int packetsSent;

    private int packetsReceived;
    private int packetsLost;
    private long bytesReceived;
    private long firstArrival;
    private long lastArrival;
    private int firstArrivalSize;
    private long firstSend;
    private long lastSend;
    private int lastSendSize;

    State state() {
        return state;
    }

    /** The running cluster's id (positive), or {@link SendHistory#NOT_A_PROBE} when none is running. */
    int id() {
        return state == State.IDLE ? SendHistory.NOT_A_PROBE : id;
    }

    void start(long target, long nowNanos) {
        id = id == Integer.MAX_VALUE ? 1 : id + 1;
        state = State.SENDING;
        targetBitrate = target;
        startNanos = nowNanos;
        bytesToSend = (int) Math.max(1, Math.min(Integer.MAX_VALUE, target * (DURATION_NANOS / 8e9)));
        bytesSent = 0;
        packetsSent = 0;
        packetsReceived = 0;
        packetsLost = 0;
        bytesReceived = 0;
    }

    /**
     * Padding bytes still to send now (at least 1 while packets are missing from the minimum); 0 once the cluster is
     * sent or its sending time is over.
     */
    int paddingBytes(long nowNanos) {
        if (state != State.SENDING) {
            return 0;
        }
        if (sent() || nowNanos - startNanos > SEND_TIMEOUT_NANOS) {
            state = packetsSent > 0 ? State.AWAITING_FEEDBACK : State.IDLE;
            return 0;
        }
        return Math.max(1, bytesToSend - bytesSent);
    }

    private boolean sent() {
        return bytesSent >= bytesToSend && packetsSent >= MIN_PACKETS;
    }

    /** A probe packet of this cluster went out; false if the cluster takes no more. */
    boolean onSent(int size) {
        if (state != State.SENDING) {
            return false;
        }
        bytesSent += size;
        packetsSent++;
        if (sent()) {
            state = State.AWAITING_FEEDBACK;
        }
        return true;
    }

    void onReceived(long sendNanos, long arrivalNanos, int size) {
        if (packetsReceived == 0 || arrivalNanos < firstArrival) {
            firstArrival = arrivalNanos;
            firstArrivalSize = size;
        }
        if (packetsReceived == 0 || arrivalNanos > lastArrival) {
            lastArrival = arrivalNanos;
        }
        if (packetsReceived == 0 || sendNanos < firstSend) {
            firstSend = sendNanos;
        }
        if (packetsReceived == 0 || sendNanos >= lastSend) {
            lastSend = sendNanos;
            lastSendSize = size;
        }
        packetsReceived++;
        bytesReceived += size;
    }

    void onLost() {
        packetsLost++;
    }

    /** Whether every packet sent has been reported on, or the wait for feedback is over. */
    boolean readyToEvaluate(long nowNanos) {
        if (state == State.SENDING && nowNanos - startNanos > SEND_TIMEOUT_NANOS) {
            state = packetsSent > 0 ? State.AWAITING_FEEDBACK : State.IDLE;
        }
        return state == State.AWAITING_FEEDBACK
                && (packetsReceived + packetsLost >= packetsSent || nowNanos - startNanos > RESULT_TIMEOUT_NANOS);
    }

    /** Ends the cluster; returns the bitrate it proved, or -1 if it proved nothing. */
    long finish() {
        state = State.IDLE;
        if (packetsReceived < MIN_RECEIVED_PACKETS || packetsReceived < MIN_RECEIVED_FRACTION * packetsSent) {
            return -1;
        }
        // Arrivals reported at one instant came faster than the feedback can measure: at least this fast.
        long receiveInterval = Math.max(lastArrival - firstArrival, ARRIVAL_RESOLUTION_NANOS);
        double receiveRate = (bytesReceived - firstArrivalSize) * 8e9 / receiveInterval;
        double rate;
        long sendInterval = lastSend - firstSend;
        if (sendInterval >= MIN_SEND_INTERVAL_NANOS) {
            double sendRate = (bytesReceived - lastSendSize) * 8e9 / sendInterval;
            rate = Math.min(sendRate, receiveRate);
            if (receiveRate < SATURATED_RATIO * sendRate) {
                rate = SATURATED_UTILISATION * receiveRate;
            }
        } else {
            // sent as one burst: the receive spacing is all the path's doing
            rate = SATURATED_UTILISATION * receiveRate;
        }
        return (long) Math.min(rate, targetBitrate);
    }
}
