package dev.parley.relay.bwe;

/**
 * One probe cluster: the relay sends at a target bitrate above the estimate for at least 15 ms and at least 6,000
 * bytes (no longer than 200 ms), and the receiver's feedback says what the path made of it. Everything numbered while
 * the cluster is sent belongs to it, media as well as padding: padding fills in what media leaves of the target, so
 * the cluster measures what the link carries beside the media rather than a burst on top of it. The padding is paced
 * by the loop's ticks: each tick sends what the target owes by 15 ms later, and a remainder smaller than that goes
 * with it, so that the cluster's send rate does not fall below the target for lack of a last tick. A cluster ends
 * once its bytes, five packets and its time are all in (media in a burst does not end it early), or after a timeout;
 * one without padding (no consumer could carry it) proves nothing.
 *
 * <p>The bitrate the path carried is the bytes received (less the first packet's) over the receive interval of the
 * cluster's packets, an interval never taken as shorter than the 250 µs transport-wide feedback can tell apart. If
 * they were sent over a measurable interval, it is no more than the send rate, and only 95 % of the receive rate when
 * they arrived noticeably slower than they were sent (the path was saturated); if they were sent as one burst, 95 % of
 * the receive rate. Never more than the target. The cluster counts only when at least 80 % of its packets (and no
 * fewer than 4) arrived.
 *
 * <p>Why paced, and why 6,000 bytes when the relay's padding packets are some 250: sent as one burst at a low target,
 * a cluster queues far more than the target exceeds the link by, and the overuse that queue shows refuses what the
 * probe proved; a cluster of a few small packets slips through a token-bucket shaper's burst allowance at line rate
 * and proves more than the link carries. A shaper whose bucket holds more than a cluster still fools it.
 *
 * <p>Reused from probe to probe (a new id each time), so it allocates nothing.
 */
final class ProbeCluster {

    static final long DURATION_NANOS = 15_000_000;
    /** At least this much, as long as it takes no longer than {@link #MAX_DURATION_NANOS} at the target... */
    static final int MIN_BYTES = 6_000;
    static final long MAX_DURATION_NANOS = 200_000_000;
    /** ...and at least this many packets. */
    static final int MIN_PACKETS = 5;
    /** Transport-wide feedback's resolution: arrivals closer than this may be reported as one instant. */
    static final long ARRIVAL_RESOLUTION_NANOS = 250_000;
    static final long SEND_TIMEOUT_NANOS = MAX_DURATION_NANOS + 100_000_000;
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
    private int paddingPackets;

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

    /** The running cluster's id (positive), or {@link SendHistory#NO_CLUSTER} when none is running. */
    int id() {
        return state == State.IDLE ? SendHistory.NO_CLUSTER : id;
    }

    void start(long target, long nowNanos) {
        id = id == Integer.MAX_VALUE ? 1 : id + 1;
        state = State.SENDING;
        targetBitrate = target;
        startNanos = nowNanos;
        bytesToSend = (int) Math.min(Integer.MAX_VALUE, Math.max(bytesAt(target, DURATION_NANOS),
                Math.min(MIN_BYTES, bytesAt(target, MAX_DURATION_NANOS))));
        bytesSent = 0;
        packetsSent = 0;
        paddingPackets = 0;
        packetsReceived = 0;
        packetsLost = 0;
        bytesReceived = 0;
    }

    /**
     * Padding bytes to send now: what the schedule owes by now less what the cluster has sent (media included); at
     * least 1 while packets are missing from the minimum at the schedule's end; 0 once the cluster is sent or its
     * sending time is over.
     */
    int paddingBytes(long nowNanos) {
        if (state != State.SENDING) {
            return 0;
        }
        if (nowNanos - startNanos > SEND_TIMEOUT_NANOS) {
            endSending();
            return 0;
        }
        long due = due(nowNanos);
        if (complete(due)) {
            endSending();
            return 0;
        }
        if (due == bytesToSend && bytesSent >= bytesToSend) {
            return 1;
        }
        return (int) Math.max(0, due - bytesSent);
    }

    /**
     * What the cluster should have sent by now: what the target comes to 15 ms from now, or all of it once less than
     * another 15 ms is left.
     */
    private long due(long nowNanos) {
        long due = bytesAt(targetBitrate, nowNanos - startNanos + DURATION_NANOS);
        return bytesToSend - due < bytesAt(targetBitrate, DURATION_NANOS) ? bytesToSend : due;
    }

    private static long bytesAt(long bitrate, long nanos) {
        return (long) (bitrate * (nanos / 8e9));
    }

    private boolean complete(long due) {
        return due == bytesToSend && bytesSent >= bytesToSend && packetsSent >= MIN_PACKETS;
    }

    private void endSending() {
        state = paddingPackets > 0 ? State.AWAITING_FEEDBACK : State.IDLE;
    }

    /**
     * A packet went out, {@code padding} or media: part of the cluster while it is sent; false if the cluster takes
     * none.
     */
    boolean onSent(int size, boolean padding, long nowNanos) {
        if (state != State.SENDING) {
            return false;
        }
        bytesSent += size;
        packetsSent++;
        if (padding) {
            paddingPackets++;
        }
        if (complete(due(nowNanos))) {
            endSending();
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

    /** A packet of the cluster reported lost has arrived after all. */
    void onLateArrival() {
        packetsLost--;
    }

    /** Whether every packet sent has been reported on, or the wait for feedback is over. */
    boolean readyToEvaluate(long nowNanos) {
        if (state == State.SENDING && nowNanos - startNanos > SEND_TIMEOUT_NANOS) {
            endSending();
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
