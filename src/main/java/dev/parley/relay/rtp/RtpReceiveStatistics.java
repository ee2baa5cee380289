package dev.parley.relay.rtp;

/**
 * Receive statistics for one SSRC, the numbers a receiver report block carries: source validation and the extended
 * highest sequence number (RFC 3550 appendix A.1), cumulative and interval loss (A.3), interarrival jitter (A.8), and
 * LSR/DLSR from the last sender report (section 6.4.1).
 *
 * <p>Allocation-free; not thread-safe (feed it from the thread that receives the stream). Time comes from the caller:
 * arrival times in RTP clock units for jitter, milliseconds of any monotonic clock for DLSR.
 */
public final class RtpReceiveStatistics {

    static final int MIN_SEQUENTIAL = 2;
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    private static final int MIN_CUMULATIVE_LOST = -0x800000;

    private final int ssrc;

    private boolean started;
    private int maxSeq;
    private long cycles; // count of sequence number cycles, shifted: a multiple of 2^16
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private boolean haveTransit;
    private int transit;
    private long jitterQ4; // jitter scaled by 16, as in the integer form of A.8

    private long lastSenderReportNtpMiddle;
    private long lastSenderReportArrivalMillis;
    private boolean haveSenderReport;

    public RtpReceiveStatistics(int ssrc) {
        this.ssrc = ssrc;
    }

    public int ssrc() {
        return ssrc;
    }

    /**
     * Accounts one packet.
     *
     * @param arrivalRtpUnits arrival time converted to the stream's RTP clock (any origin, wraps like a timestamp)
     * @return true if the packet counts as received (the source is valid and the sequence number is plausible);
     *     false while the source is on probation or after a large jump that is not yet confirmed
     */
    public boolean update(int sequenceNumber, long rtpTimestamp, long arrivalRtpUnits) {
        int seq = sequenceNumber & 0xFFFF;
        if (!started) {
            started = true;
            initSequence(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
        }
        if (!updateSequence(seq)) {
            return false;
        }
        updateJitter((int) rtpTimestamp, (int) arrivalRtpUnits);
        return true;
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1; // so seq == badSeq is false
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /** update_seq() of appendix A.1. */
    private boolean updateSequence(int seq) {
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            // A.1 compares with max_seq + 1 in int arithmetic, which never matches across 65535 -> 0; wrap it.
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD; // wrapped
            }
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a big jump: the sender restarted; re-sync on this one.
                initSequence(seq);
            } else {
                badSeq = (seq + 1) & (SEQ_MOD - 1);
                return false;
            }
        }
        // else: duplicate or reordered packet, counted as received
        received++;
        return true;
    }

    /** Appendix A.8, integer form: J += (|D| - J) / 16, kept scaled by 16. */
    private void updateJitter(int rtpTimestamp, int arrival) {
        int newTransit = arrival - rtpTimestamp;
        if (haveTransit) {
            int d = newTransit - transit;
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = newTransit;
        haveTransit = true;
    }

    /** True once MIN_SEQUENTIAL (2) packets in sequence have been seen. */
    public boolean isValid() {
        return started && probation == 0;
    }

    /** Extended highest sequence number received: cycles in the high 16 bits, highest sequence in the low 16. */
    public long extendedHighestSequenceNumber() {
        return isValid() ? cycles + maxSeq : 0;
    }

    /** Packets received (duplicates included, as in A.3). */
    public long received() {
        return received;
    }

    /** Packets expected: extended highest minus base plus one (A.3). */
    public long expected() {
        return isValid() ? cycles + maxSeq - baseSeq + 1 : 0;
    }

    /** Cumulative number of packets lost, clamped to the 24-bit signed range of the report block. */
    public int cumulativeLost() {
        long lost = expected() - received;
        if (lost > MAX_CUMULATIVE_LOST) {
            return MAX_CUMULATIVE_LOST;
        }
        if (lost < MIN_CUMULATIVE_LOST) {
            return MIN_CUMULATIVE_LOST;
        }
        return (int) lost;
    }

    /**
     * Ends a reporting interval: returns the fraction lost since the previous call as a fixed-point number with the
     * binary point at the left edge (0..255), 0 when packets were duplicated rather than lost (A.3).
     */
    public int closeInterval() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * Records a sender report from this source so the next report block can carry LSR and DLSR.
     *
     * @param ntpTimestamp the SR's 64-bit NTP timestamp
     * @param arrivalMillis arrival time on the caller's monotonic millisecond clock
     */
    public void onSenderReport(long ntpTimestamp, long arrivalMillis) {
        lastSenderReportNtpMiddle = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        lastSenderReportArrivalMillis = arrivalMillis;
        haveSenderReport = true;
    }

    /** LSR: the middle 32 bits of the last SR's NTP timestamp, or 0 if none was received. */
    public long lastSenderReport() {
        return haveSenderReport ? lastSenderReportNtpMiddle : 0;
    }

    /** DLSR: delay since the last SR in units of 1/65536 s, or 0 if none was received. */
    public long delaySinceLastSenderReport(long nowMillis) {
        if (!haveSenderReport) {
            return 0;
        }
        long elapsed = Math.max(0, nowMillis - lastSenderReportArrivalMillis);
        // 65536 s and beyond saturate the 32-bit field; clamping first keeps the product from overflowing
        return Math.min(0xFFFFFFFFL, Math.min(elapsed, 65_536_000L) * 65536 / 1000);
    }
}
