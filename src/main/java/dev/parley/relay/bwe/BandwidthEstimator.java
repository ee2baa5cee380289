package dev.parley.relay.bwe;

import dev.parley.relay.rtcp.TransportFeedback;

/**
 * Send-side bandwidth estimation for one transport, in the manner of Google Congestion Control
 * (draft-ietf-rmcat-gcc-02) as libwebrtc runs it today. Every packet sent carries a transport-wide sequence number and
 * is remembered ({@link SendHistory}); transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)
 * says which arrived when. From that come a delay-based estimate ({@link DelayBasedEstimator}), a loss-based one
 * ({@link LossBasedControl}) and the acknowledged bitrate ({@link AcknowledgedBitrate}); the estimate is the lower of
 * the two, within the configured bounds, and never above a receiver's REMB. A receiver that sends REMB and no
 * transport-wide feedback is followed by its REMB alone. Probe clusters ({@link #startProbe}) raise the estimate
 * faster than the controllers' slow increase, and only when the path proved it carried the bitrate.
 *
 * <p>Written for Parley by hand, after the draft and libwebrtc's design (its constants are libwebrtc's), because no
 * usable Java library for it exists: the JVM implementations there are live inside Jitsi Videobridge's Kotlin media
 * pipeline (jitsi-media-transform), tied to its configuration, logging and packet classes. Not a port: libwebrtc's
 * Bayesian acknowledged-bitrate filter, ALR detection, pacing, congestion window and newer loss-based estimator are
 * not here. Three additions of Parley's own: the loss fraction is smoothed from one loss period to the next, loss of
 * 2 % or more while the round trip shows a standing queue backs off as an overuse does (both in
 * {@link LossBasedControl}), and feedback that stops while packets go out cuts the estimate by 20 % per second (for
 * the 5 s until it counts as stopped).
 *
 * <p>Single-threaded (the relay loop), allocation-free per packet and per feedback once constructed; the caller passes
 * a nanosecond clock in, so a test can run simulated time.
 */
public final class BandwidthEstimator {

    public static final long DEFAULT_INITIAL_BITRATE = 1_000_000;
    public static final long DEFAULT_MIN_BITRATE = 30_000;
    public static final long DEFAULT_MAX_BITRATE = 20_000_000;

    /** Transport feedback older than this (while sending) cuts the estimate. */
    static final long FEEDBACK_TIMEOUT_NANOS = 1_000_000_000;
    static final double FEEDBACK_TIMEOUT_FACTOR = 0.8;
    /** Without transport feedback for this long, a receiver's REMB is the estimate again. */
    static final long TRANSPORT_FEEDBACK_STALE_NANOS = 5_000_000_000L;
    /**
     * Packet statuses the receiver's feedback may report per packet sent, and at once. A receiver reports each packet
     * about once; one that reports thousands it was never sent (a status count of 8191 takes 24 bytes, and some fifty
     * fit in one datagram) would make the loop look up each, for every room on it.
     */
    static final int STATUSES_PER_PACKET_SENT = 2;
    static final int STATUS_BURST = 2 * SendHistory.DEFAULT_CAPACITY;

    private final long minBitrate;
    private final long maxBitrate;
    private final long initialBitrate;
    /**
     * What was sent, for reading feedback: made at the first packet numbered (a receiver that never negotiates
     * transport-wide feedback never needs it) and let go by {@link #release}. About 100 KB.
     */
    private SendHistory history;
    private boolean released;
    private final DelayBasedEstimator delayBased;
    private final LossBasedControl lossBased;
    private final AcknowledgedBitrate acknowledged = new AcknowledgedBitrate();
    private final ProbeCluster probe = new ProbeCluster();
    private final RoundTripTime roundTrip = new RoundTripTime();

    /**
     * Scratch for reading one feedback, a set per thread (the relay's loop) rather than 150 KB per receiver: nothing
     * in it outlives the call.
     */
    private static final ThreadLocal<FeedbackScratch> SCRATCH = ThreadLocal.withInitial(FeedbackScratch::new);

    private long estimate;
    private long remb = -1;
    private long lastFeedbackNanos = Long.MIN_VALUE;
    private long firstUnreportedSendNanos = Long.MIN_VALUE;
    private long lastTimeoutCutNanos = Long.MIN_VALUE;
    private int lastReferenceTime = -1;
    private long referenceTimeUnwrapped;
    private long lastProbeResult = -1;
    private int statusAllowance = STATUS_BURST;

    public BandwidthEstimator() {
        this(DEFAULT_INITIAL_BITRATE, DEFAULT_MIN_BITRATE, DEFAULT_MAX_BITRATE);
    }

    /** Bitrates in bits per second; the initial one is the estimate until feedback or REMB says otherwise. */
    public BandwidthEstimator(long initialBitrate, long minBitrate, long maxBitrate) {
        if (minBitrate <= 0 || maxBitrate < minBitrate || initialBitrate < minBitrate || initialBitrate > maxBitrate) {
            throw new IllegalArgumentException("need 0 < min <= initial <= max");
        }
        this.minBitrate = minBitrate;
        this.maxBitrate = maxBitrate;
        this.initialBitrate = initialBitrate;
        this.delayBased = new DelayBasedEstimator(initialBitrate, minBitrate, maxBitrate);
        this.lossBased = new LossBasedControl(initialBitrate, minBitrate, maxBitrate);
        estimate = initialBitrate;
    }

    private static final class FeedbackScratch {
        final int[] sequence = new int[SendHistory.DEFAULT_CAPACITY];
        final long[] receiveMicros = new long[SendHistory.DEFAULT_CAPACITY];
        final long[] sendNanos = new long[SendHistory.DEFAULT_CAPACITY];
        final long[] arrivalNanos = new long[SendHistory.DEFAULT_CAPACITY];
        final int[] sizes = new int[SendHistory.DEFAULT_CAPACITY];
        final int[] arrivalOrder = new int[SendHistory.DEFAULT_CAPACITY];
    }

    /** The receiver is gone: what was kept for reading its feedback goes, and nothing is kept from now on. */
    public void release() {
        released = true;
        history = null;
    }

    /** Packets the send history has room for: 0 before the first one numbered, and once released. */
    public int historyCapacity() {
        return history == null ? 0 : history.capacity();
    }

    /** The estimate in bits per second. */
    public long estimate() {
        return estimate;
    }

    /**
     * A packet carrying transport-wide sequence number {@code transportSequenceNumber} went out: {@code size} bytes as
     * the caller counts them (the same way for every packet), {@code probe} when it is probe padding. Every packet
     * sent while a probe cluster is being sent joins it, media too.
     */
    public void onPacketSent(int transportSequenceNumber, int size, long nowNanos, boolean probe) {
        int cluster = SendHistory.NO_CLUSTER;
        if (this.probe.onSent(size, probe, nowNanos)) {
            cluster = this.probe.id();
        } else if (probe) {
            cluster = SendHistory.UNCLUSTERED_PROBE;
        }
        if (history == null) {
            if (released) {
                return;
            }
            history = new SendHistory(SendHistory.DEFAULT_CAPACITY);
        }
        history.onPacketSent(transportSequenceNumber, size, nowNanos, cluster);
        statusAllowance = Math.min(STATUS_BURST, statusAllowance + STATUSES_PER_PACKET_SENT);
        if (firstUnreportedSendNanos == Long.MIN_VALUE) {
            firstUnreportedSendNanos = nowNanos;
        }
        cutIfFeedbackStopped(nowNanos);
    }

    /**
     * Transport-wide feedback from the receiver, wrapped and valid.
     *
     * @return false when it was ignored for reporting on more packets than the receiver's allowance
     */
    public boolean onFeedback(TransportFeedback feedback, long nowNanos) {
        int statuses = Math.min(feedback.packetStatusCount(), SendHistory.DEFAULT_CAPACITY);
        if (statuses > statusAllowance) {
            return false;
        }
        statusAllowance -= statuses;
        SendHistory history = this.history;
        if (history == null || history.latest() < 0) {
            return true;
        }
        FeedbackScratch scratch = SCRATCH.get();
        int[] feedbackSequence = scratch.sequence;
        long[] feedbackReceiveMicros = scratch.receiveMicros;
        long[] receivedSendNanos = scratch.sendNanos;
        long[] receivedArrivalNanos = scratch.arrivalNanos;
        int[] receivedSize = scratch.sizes;
        if (!transportFeedbackActive(nowNanos)) {
            // the first transport feedback, or the first after a silence: go on from what REMB or the timeout left
            delayBased.setEstimate(estimate, nowNanos);
            lossBased.setBitrate(estimate);
        }
        long offsetMicros = unwrapReferenceTime(feedback.referenceTime());
        int n = feedback.packets(feedbackSequence, feedbackReceiveMicros, 0);
        int lost = 0;
        int received = 0;
        long minRtt = Long.MAX_VALUE;
        int clusterId = probe.id();
        for (int i = 0; i < n; i++) {
            long seq = history.unwrap(feedbackSequence[i]);
            if (!history.contains(seq)) {
                continue;
            }
            int report = history.report(seq);
            if (feedbackReceiveMicros[i] == TransportFeedback.NOT_RECEIVED) {
                if (report == SendHistory.NOT_REPORTED) {
                    history.setReport(seq, SendHistory.REPORTED_LOST);
                    lost++;
                    if (clusterId != SendHistory.NO_CLUSTER && history.probeCluster(seq) == clusterId) {
                        probe.onLost();
                    }
                }
                continue;
            }
            if (report == SendHistory.REPORTED_RECEIVED) {
                continue;
            }
            if (report == SendHistory.REPORTED_LOST) {
                lost--;
                if (clusterId != SendHistory.NO_CLUSTER && history.probeCluster(seq) == clusterId) {
                    probe.onLateArrival();
                }
            }
            history.setReport(seq, SendHistory.REPORTED_RECEIVED);
            long send = history.sendTimeNanos(seq);
            long arrival = (feedbackReceiveMicros[i] + offsetMicros) * 1000;
            int size = history.size(seq);
            receivedSendNanos[received] = send;
            receivedArrivalNanos[received] = arrival;
            receivedSize[received] = size;
            received++;
            minRtt = Math.min(minRtt, nowNanos - send);
            if (clusterId != SendHistory.NO_CLUSTER && history.probeCluster(seq) == clusterId) {
                probe.onReceived(send, arrival, size);
            }
        }
        lastFeedbackNanos = nowNanos;
        firstUnreportedSendNanos = Long.MIN_VALUE;
        if (minRtt != Long.MAX_VALUE) {
            roundTrip.onSample(minRtt, nowNanos);
        }
        int[] arrivalOrder = scratch.arrivalOrder;
        sortByArrival(arrivalOrder, receivedArrivalNanos, receivedSendNanos, received);
        for (int k = 0; k < received; k++) {
            int i = arrivalOrder[k];
            acknowledged.onReceived(receivedArrivalNanos[i], receivedSize[i]);
            delayBased.onPacket(receivedSendNanos[i], receivedArrivalNanos[i], receivedSize[i]);
        }
        long acked = acknowledged.bitrate();
        delayBased.update(acked, Math.max(roundTrip.smoothed(), 0), nowNanos);
        lossBased.onFeedback(Math.max(lost, 0), received, acked, roundTrip.standingQueue(), nowNanos);
        finishProbeIfDue(nowNanos);
        lossBased.capAt(delayBased.bitrate());
        updateEstimate(nowNanos);
        return true;
    }

    /** A receiver estimated maximum bitrate (REMB), in bits per second. */
    public void onRemb(long bitrate, long nowNanos) {
        remb = Math.max(0, bitrate);
        updateEstimate(nowNanos);
    }

    /**
     * Starts a probe cluster at {@code targetBitrate}, to be sent as padding ({@link #probePaddingBytes}) and judged
     * from feedback. Returns false, starting nothing, if the target is not above the estimate or a cluster is running.
     */
    public boolean startProbe(long targetBitrate, long nowNanos) {
        finishProbeIfDue(nowNanos);
        if (targetBitrate <= estimate || probe.state() != ProbeCluster.State.IDLE) {
            return false;
        }
        probe.start(Math.min(targetBitrate, maxBitrate), nowNanos);
        lastProbeResult = -1;
        return true;
    }

    /**
     * Padding bytes the caller should send now as probe packets ({@code onPacketSent(..., probe = true)}): what the
     * cluster's target owes by 15 ms from now beyond what was sent since it started, media included; 0 when no
     * cluster wants more. Call it on every tick.
     */
    public int probePaddingBytes(long nowNanos) {
        finishProbeIfDue(nowNanos);
        return probe.paddingBytes(nowNanos);
    }

    /** Whether a probe cluster is being sent or waits for its feedback. */
    public boolean isProbing() {
        return probe.state() != ProbeCluster.State.IDLE;
    }

    /**
     * The bitrate the last probe proved, or -1 if it proved nothing (or is not judged yet, or none could be sent).
     */
    public long lastProbeResult() {
        return lastProbeResult;
    }

    /** The smoothed round-trip time seen by feedback (send to feedback arrival), or -1 before any. */
    public long rttNanos() {
        return roundTrip.smoothed();
    }

    /** The delay detector's current verdict. */
    public BandwidthUsage delayState() {
        return delayBased.state();
    }

    /** What the receiver reported receiving over the last 500 ms of its receive times, bit/s, or -1. */
    public long acknowledgedBitrate() {
        return acknowledged.bitrate();
    }

    /** Loss fraction of the last complete loss period (a second or more), or -1. */
    public double lossFraction() {
        return lossBased.lossFraction();
    }

    /** Judges the probe cluster once all its packets are reported on, or gives up on it after a second. */
    private void finishProbeIfDue(long nowNanos) {
        if (!probe.readyToEvaluate(nowNanos)) {
            return;
        }
        long result = probe.finish();
        lastProbeResult = result;
        if (result > estimate && delayBased.state() != BandwidthUsage.OVERUSING) {
            delayBased.setEstimate(result, nowNanos);
            lossBased.raiseTo(result);
            updateEstimate(nowNanos);
        }
    }

    /**
     * Cuts the estimate by 20 % for each second that packets go out without transport feedback coming back, until the
     * feedback counts as stopped (then REMB, if any, takes over).
     */
    private void cutIfFeedbackStopped(long nowNanos) {
        if (!transportFeedbackActive(nowNanos) || firstUnreportedSendNanos == Long.MIN_VALUE
                || nowNanos - firstUnreportedSendNanos < FEEDBACK_TIMEOUT_NANOS
                || nowNanos - lastFeedbackNanos < FEEDBACK_TIMEOUT_NANOS) {
            return;
        }
        if (lastTimeoutCutNanos != Long.MIN_VALUE && nowNanos - lastTimeoutCutNanos < FEEDBACK_TIMEOUT_NANOS) {
            return;
        }
        lastTimeoutCutNanos = nowNanos;
        long cut = (long) (estimate * FEEDBACK_TIMEOUT_FACTOR);
        delayBased.setEstimate(cut, nowNanos);
        lossBased.setBitrate(cut);
        updateEstimate(nowNanos);
    }

    private boolean transportFeedbackActive(long nowNanos) {
        return lastFeedbackNanos != Long.MIN_VALUE && nowNanos - lastFeedbackNanos < TRANSPORT_FEEDBACK_STALE_NANOS;
    }

    private void updateEstimate(long nowNanos) {
        long value;
        if (transportFeedbackActive(nowNanos)) {
            value = Math.min(delayBased.bitrate(), lossBased.bitrate());
            if (remb >= 0) {
                value = Math.min(value, remb);
            }
        } else if (remb >= 0) {
            value = remb;
        } else if (lastFeedbackNanos != Long.MIN_VALUE) {
            value = Math.min(delayBased.bitrate(), lossBased.bitrate());
        } else {
            value = initialBitrate;
        }
        estimate = Math.max(minBitrate, Math.min(maxBitrate, value));
    }

    /** Offset (µs) that puts this feedback's receive times on the time line of the first feedback's. */
    private long unwrapReferenceTime(int referenceTime) {
        if (lastReferenceTime < 0) {
            referenceTimeUnwrapped = referenceTime;
        } else {
            referenceTimeUnwrapped += ((referenceTime - lastReferenceTime) << 8) >> 8;
        }
        lastReferenceTime = referenceTime;
        return (referenceTimeUnwrapped - referenceTime) * TransportFeedback.REFERENCE_TIME_TICK_MICROS;
    }

    /** Insertion sort of the received packets by arrival, then send time: feedback is nearly in order already. */
    private static void sortByArrival(int[] order, long[] arrivalNanos, long[] sendNanos, int count) {
        for (int k = 0; k < count; k++) {
            int i = k;
            int j = k - 1;
            while (j >= 0 && later(order[j], i, arrivalNanos, sendNanos)) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = i;
        }
    }

    private static boolean later(int a, int b, long[] arrivalNanos, long[] sendNanos) {
        if (arrivalNanos[a] != arrivalNanos[b]) {
            return arrivalNanos[a] > arrivalNanos[b];
        }
        return sendNanos[a] > sendNanos[b];
    }
}
