package dev.parley.relay.bwe;

import dev.parley.relay.rtcp.TransportFeedback;
import java.util.Arrays;

/**
 * The receiving half of transport-wide congestion control for one publisher: remembers when each packet with a
 * transport-wide sequence number arrived and writes them back as transport feedback (RTPFB 15) every
 * {@link #INTERVAL_NANOS}, so the publisher's own estimator (Chromium's and Firefox's GCC) sees the path's delay and loss
 * and ramps up, probes and backs off by itself, where a REMB alone only caps it. Allocation-free once built; single
 * threaded (the relay loop).
 */
public final class ArrivalFeedback {

    /** How often feedback goes out while packets arrive (libwebrtc sends every 50 to 250 ms). */
    public static final long INTERVAL_NANOS = 50_000_000L;
    /** Arrivals remembered; packets further behind the newest are reported lost. */
    static final int WINDOW = 1024;
    /** Statuses in one feedback packet: keeps it well inside an MTU whatever the chunks. */
    static final int MAX_PER_FEEDBACK = 400;

    private final long[] arrivals = new long[WINDOW];
    private final long[] scratch = new long[MAX_PER_FEEDBACK];
    private long next = -1;
    private long highest = -1;
    private int feedbackCount;
    private long lastSentNanos = Long.MIN_VALUE / 2;

    public ArrivalFeedback() {
        Arrays.fill(arrivals, TransportFeedback.NOT_RECEIVED);
    }

    /** A packet carrying transport-wide sequence number {@code sequence} (16 bits) arrived now. */
    public void onPacket(int sequence, long nowNanos) {
        long unwrapped = unwrap(sequence & 0xFFFF);
        if (next < 0) {
            next = unwrapped;
        }
        if (unwrapped < next) {
            return; // late: already reported as lost
        }
        if (unwrapped > highest) {
            for (long s = Math.max(highest + 1, unwrapped - WINDOW + 1); s < unwrapped; s++) {
                arrivals[(int) (s & (WINDOW - 1))] = TransportFeedback.NOT_RECEIVED;
            }
            highest = unwrapped;
            if (highest - next >= WINDOW) {
                next = highest - WINDOW + 1;
            }
        }
        arrivals[(int) (unwrapped & (WINDOW - 1))] = nowNanos / 1000;
    }

    private long unwrap(int sequence) {
        if (highest < 0) {
            return sequence;
        }
        long candidate = (highest & ~0xFFFFL) | sequence;
        if (candidate < highest - 0x8000) {
            candidate += 0x10000;
        } else if (candidate > highest + 0x8000 && candidate >= 0x10000) {
            candidate -= 0x10000;
        }
        return candidate;
    }

    /** Whether a feedback is due: something unreported arrived and the interval has passed. */
    public boolean isDue(long nowNanos) {
        return next >= 0 && highest >= next && nowNanos - lastSentNanos >= INTERVAL_NANOS;
    }

    /**
     * Writes the next feedback packet on what arrived since the last one (at most {@link #MAX_PER_FEEDBACK} packets;
     * call again while {@link #isDue} for the rest). Returns its length, or 0 when there is nothing to report.
     */
    public int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, long nowNanos) {
        if (next < 0 || highest < next) {
            return 0;
        }
        int count = (int) Math.min(highest - next + 1, MAX_PER_FEEDBACK);
        while (count > 0) {
            for (int i = 0; i < count; i++) {
                scratch[i] = arrivals[(int) ((next + i) & (WINDOW - 1))];
            }
            int length = TransportFeedback.write(buf, off, senderSsrc, mediaSsrc, (int) (next & 0xFFFF),
                    feedbackCount & 0xFF, scratch, count);
            if (length > 0) {
                next += count;
                feedbackCount++;
                lastSentNanos = nowNanos;
                return length;
            }
            count /= 2; // too far apart for one delta, or too large: report fewer now, the rest next time
        }
        next++; // a lone packet that cannot be written (never: one status always fits) is skipped, not retried forever
        return 0;
    }
}
