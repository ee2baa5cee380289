package dev.parley.relay.bwe;

/**
 * Packet groups and the delay variation between them (draft-ietf-rmcat-gcc-02 section 5.2): packets sent within
 * 5 ms of a group's first packet form one group (a video frame goes out as a burst), and so does a packet that arrives
 * within 5 ms of the group's last one but sooner after it than it was sent (the network batched them; no more than
 * 100 ms of such a burst). When a group is complete, the inter-group delay variation is its arrival delta minus its
 * send delta to the group before: positive while a queue builds.
 *
 * <p>Feed received packets in arrival order. Packets sent before the current group began are ignored, a group that
 * arrives before the previous one (reordering) is skipped, three in a row or an arrival jump of more than 3 s beyond
 * the send delta start over.
 */
final class PacketGroups {

    static final long GROUP_LENGTH_NANOS = 5_000_000;
    static final long BURST_DELTA_NANOS = 5_000_000;
    static final long MAX_BURST_NANOS = 100_000_000;
    static final long ARRIVAL_JUMP_NANOS = 3_000_000_000L;
    private static final int REORDERED_GROUPS_RESET = 3;

    private boolean hasCurrent;
    private long firstSend;
    private long lastSend;
    private long firstArrival;
    private long lastArrival;
    private long bytes;

    private boolean hasPrevious;
    private long previousLastSend;
    private long previousLastArrival;
    private long previousBytes;

    private int reorderedGroups;

    private long sendDelta;
    private long arrivalDelta;
    private long sizeDelta;

    /** Adds a received packet; true when it completed a group and the deltas below describe that group. */
    boolean add(long sendNanos, long arrivalNanos, int size) {
        boolean computed = false;
        if (!hasCurrent) {
            startGroup(sendNanos, arrivalNanos);
        } else if (sendNanos < firstSend) {
            return false;
        } else if (startsNewGroup(sendNanos, arrivalNanos)) {
            if (hasPrevious) {
                long sent = lastSend - previousLastSend;
                long arrived = lastArrival - previousLastArrival;
                if (arrived - sent >= ARRIVAL_JUMP_NANOS) {
                    reset();
                    return false;
                }
                if (arrived < 0) {
                    if (++reorderedGroups >= REORDERED_GROUPS_RESET) {
                        reset();
                    }
                    return false;
                }
                reorderedGroups = 0;
                sendDelta = sent;
                arrivalDelta = arrived;
                sizeDelta = bytes - previousBytes;
                computed = true;
            }
            hasPrevious = true;
            previousLastSend = lastSend;
            previousLastArrival = lastArrival;
            previousBytes = bytes;
            startGroup(sendNanos, arrivalNanos);
        } else {
            lastSend = Math.max(lastSend, sendNanos);
        }
        bytes += size;
        lastArrival = arrivalNanos;
        return computed;
    }

    /** Send time difference between the last packets of the completed group and the one before. */
    long sendDeltaNanos() {
        return sendDelta;
    }

    /** Arrival time difference between the last packets of the completed group and the one before. */
    long arrivalDeltaNanos() {
        return arrivalDelta;
    }

    long sizeDeltaBytes() {
        return sizeDelta;
    }

    /** Arrival of the completed group's last packet. */
    long completedArrivalNanos() {
        return previousLastArrival;
    }

    void reset() {
        hasCurrent = false;
        hasPrevious = false;
        reorderedGroups = 0;
    }

    private void startGroup(long sendNanos, long arrivalNanos) {
        hasCurrent = true;
        firstSend = sendNanos;
        lastSend = sendNanos;
        firstArrival = arrivalNanos;
        lastArrival = arrivalNanos;
        bytes = 0;
    }

    private boolean startsNewGroup(long sendNanos, long arrivalNanos) {
        if (belongsToBurst(sendNanos, arrivalNanos)) {
            return false;
        }
        return sendNanos - firstSend > GROUP_LENGTH_NANOS;
    }

    private boolean belongsToBurst(long sendNanos, long arrivalNanos) {
        long arrived = arrivalNanos - lastArrival;
        long sent = sendNanos - lastSend;
        if (sent == 0) {
            return true;
        }
        long propagation = arrived - sent;
        return propagation < 0 && arrived <= BURST_DELTA_NANOS && arrivalNanos - firstArrival < MAX_BURST_NANOS;
    }
}
