package dev.parley.relay.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.relay.rtcp.TransportFeedback;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The estimator's API: bounds, REMB, probes, odd feedback, and no allocation per packet or feedback. */
class BandwidthEstimatorTest {

    private static final long MS = 1_000_000;
    private static final long SECOND = 1000 * MS;

    private final byte[] buffer = new byte[2048];
    private final TransportFeedback feedback = new TransportFeedback();

    /** Feedback on {@code count} packets from {@code base}: received at the given times (µs) or NOT_RECEIVED. */
    private TransportFeedback feedback(int base, long... receiveMicros) {
        int len = TransportFeedback.write(buffer, 0, 1, 2, base, 0, receiveMicros, receiveMicros.length);
        assertThat(feedback.wrap(buffer, 0, len)).isTrue();
        return feedback;
    }

    @Test
    void startsAtTheInitialEstimateWithinItsBounds() {
        assertThat(new BandwidthEstimator().estimate()).isEqualTo(BandwidthEstimator.DEFAULT_INITIAL_BITRATE);
        assertThat(new BandwidthEstimator(500_000, 100_000, 900_000).estimate()).isEqualTo(500_000);
        assertThatThrownBy(() -> new BandwidthEstimator(50_000, 100_000, 900_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BandwidthEstimator(500_000, 0, 900_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsASendHistoryFromTheFirstPacketNumberedUntilReleased() {
        BandwidthEstimator estimator = new BandwidthEstimator();
        assertThat(estimator.historyCapacity()).as("REMB alone needs none").isZero();
        estimator.onPacketSent(1, 1200, 0, false);
        assertThat(estimator.historyCapacity()).isEqualTo(SendHistory.DEFAULT_CAPACITY);

        estimator.release();
        estimator.onPacketSent(2, 1200, 1_000_000, false);
        assertThat(estimator.historyCapacity()).as("nothing kept once released").isZero();
        estimator.onRemb(700_000, 2_000_000);
        assertThat(estimator.estimate()).isEqualTo(700_000);
    }

    @Test
    void followsRembWhenThereIsNoTransportFeedback() {
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 100_000, 5_000_000);
        estimator.onRemb(700_000, 0);
        assertThat(estimator.estimate()).isEqualTo(700_000);
        estimator.onRemb(9_000_000, 10 * MS);
        assertThat(estimator.estimate()).isEqualTo(5_000_000);
        estimator.onRemb(1_000, 20 * MS);
        assertThat(estimator.estimate()).isEqualTo(100_000);
    }

    @Test
    void rembCapsTheTransportFeedbackEstimateAndTakesOverWhenThatFeedbackStops() {
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 100_000, 5_000_000);
        estimator.onPacketSent(1, 1200, 0, false);
        estimator.onFeedback(feedback(1, 30_000), 60 * MS);
        assertThat(estimator.estimate()).isEqualTo(1_000_000);
        estimator.onRemb(600_000, 70 * MS);
        assertThat(estimator.estimate()).isEqualTo(600_000);
        estimator.onRemb(3_000_000, 80 * MS);
        assertThat(estimator.estimate()).as("REMB only caps").isEqualTo(1_000_000);
        estimator.onRemb(3_000_000, 60 * MS + BandwidthEstimator.TRANSPORT_FEEDBACK_STALE_NANOS);
        assertThat(estimator.estimate()).as("no transport feedback for 5 s").isEqualTo(3_000_000);
    }

    @Test
    void transportFeedbackGoesOnFromWhereRembLeftTheEstimate() {
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 100_000, 5_000_000);
        estimator.onRemb(400_000, 0);
        estimator.onPacketSent(1, 1200, 0, false);
        estimator.onFeedback(feedback(1, 30_000), 60 * MS);
        estimator.onRemb(2_000_000, 100 * MS);
        assertThat(estimator.estimate()).isEqualTo(400_000);
    }

    @Test
    void ignoresFeedbackOnUnknownOrAlreadyReportedPackets() {
        BandwidthEstimator estimator = new BandwidthEstimator();
        estimator.onFeedback(feedback(1, 30_000), 0);
        assertThat(estimator.rttNanos()).as("nothing sent yet").isEqualTo(-1);
        for (int i = 0; i < 10; i++) {
            estimator.onPacketSent(100 + i, 1200, i * 10 * MS, false);
        }
        estimator.onFeedback(feedback(5000, 30_000, 31_000), 100 * MS);
        assertThat(estimator.rttNanos()).as("never sent").isEqualTo(-1);
        long[] times = new long[10];
        for (int i = 0; i < 10; i++) {
            times[i] = 30_000 + i * 10_000L;
        }
        estimator.onFeedback(feedback(100, times), 150 * MS);
        assertThat(estimator.rttNanos()).isEqualTo(60 * MS);
        estimator.onFeedback(feedback(100, times), 400 * MS);
        assertThat(estimator.rttNanos()).as("a repeated report changes nothing").isEqualTo(60 * MS);
        assertThat(estimator.estimate()).isEqualTo(BandwidthEstimator.DEFAULT_INITIAL_BITRATE);
    }

    @Test
    void aProbeAsksForPaddingOnceAndRaisesTheEstimateOnlyWhenTheReceiverGotItFastEnough() {
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 100_000, 10_000_000);
        assertThat(estimator.startProbe(900_000, 0)).as("not above the estimate").isFalse();
        assertThat(estimator.startProbe(4_000_000, 0)).isTrue();
        assertThat(estimator.startProbe(5_000_000, 0)).as("one at a time").isFalse();
        assertThat(estimator.isProbing()).isTrue();
        // 4 Mbit/s for 15 ms: 7500 bytes
        assertThat(estimator.probePaddingBytes(0)).isEqualTo(7500);
        for (int i = 0; i < 5; i++) {
            estimator.onPacketSent(i, 1000, 0, true);
        }
        assertThat(estimator.probePaddingBytes(MS)).isEqualTo(2500);
        for (int i = 5; i < 8; i++) {
            estimator.onPacketSent(i, 1000, MS, true);
        }
        assertThat(estimator.probePaddingBytes(2 * MS)).isZero();
        // all 8 arrive 2 ms apart: 7000 bytes in 14 ms, 4 Mbit/s
        long[] arrivals = new long[8];
        for (int i = 0; i < 8; i++) {
            arrivals[i] = 40_000 + i * 2_000L;
        }
        estimator.onFeedback(feedback(0, arrivals), 80 * MS);
        assertThat(estimator.lastProbeResult()).isEqualTo(3_800_000);
        assertThat(estimator.estimate()).isEqualTo(3_800_000);
        assertThat(estimator.isProbing()).isFalse();

        // a second probe that arrives at 1 Mbit/s proves nothing new: no change
        assertThat(estimator.startProbe(8_000_000, 100 * MS)).isTrue();
        int padding = estimator.probePaddingBytes(100 * MS);
        assertThat(padding).isEqualTo(15_000);
        for (int i = 8; i < 23; i++) {
            estimator.onPacketSent(i, 1000, 100 * MS, true);
        }
        // these 15 arrive 8 ms apart: 1 Mbit/s
        long[] slow = new long[15];
        for (int i = 0; i < slow.length; i++) {
            slow[i] = 140_000 + i * 8_000L;
        }
        estimator.onFeedback(feedback(8, slow), 300 * MS);
        assertThat(estimator.lastProbeResult()).isLessThan(1_000_000);
        assertThat(estimator.estimate()).isEqualTo(3_800_000);
    }

    @Test
    void aLowProbeIsPacedAtItsTargetWithTheMediaSentMeanwhile() {
        BandwidthEstimator estimator = new BandwidthEstimator(120_000, 30_000, 10_000_000);
        long target = 320_000;
        assertThat(estimator.startProbe(target, 0)).isTrue();
        long[] arrivals = new long[64]; // each packet arrives 30 ms after it was sent: the link carries it all
        int sequence = 0;
        long clusterBytes = 0;
        long now = 0;
        for (; now == 0 || estimator.probePaddingBytes(now) > 0; now += 20 * MS) { // the loop's ticks
            if (now > 0) {
                // a voice's packet went out since the last tick: it counts toward the target
                estimator.onPacketSent(sequence, 100, now - 10 * MS, false);
                arrivals[sequence++] = (now + 20 * MS) / 1000;
                clusterBytes += 100;
            }
            for (int owed = estimator.probePaddingBytes(now); owed > 0; owed -= 250) {
                estimator.onPacketSent(sequence, 250, now, true);
                arrivals[sequence++] = (now + 30 * MS) / 1000;
                clusterBytes += 250;
            }
            assertThat(clusterBytes * 8).as("at %d ms: never more than 30 ms ahead of the target", now / MS)
                    .isLessThanOrEqualTo(target * (now + 30 * MS) / SECOND + 250 * 8);
            assertThat(Math.min(clusterBytes, 6000) * 8).as("at %d ms: nor behind it", now / MS)
                    .isGreaterThanOrEqualTo(Math.min(target * now / SECOND, 6000 * 8));
        }
        assertThat(now / MS).as("sent over about the 150 ms 6,000 bytes take at the target").isBetween(120L, 160L);
        assertThat(clusterBytes).isBetween(6000L, 6250L);
        assertThat(estimator.isProbing()).as("sent, waiting for feedback").isTrue();
        estimator.onFeedback(feedback(0, java.util.Arrays.copyOf(arrivals, sequence)), SECOND / 2);
        assertThat(estimator.isProbing()).isFalse();
        assertThat(estimator.lastProbeResult()).as("the link carried it").isBetween(290_000L, target);
        assertThat(estimator.estimate()).isEqualTo(estimator.lastProbeResult());
    }

    @Test
    void aProbeSentOverTwoTicksWithoutMediaStillProvesItsTargetOnAFastLink() {
        // 6,000 bytes at 2.9 Mbit/s take 16.6 ms: a last tick 20 ms later with 560 bytes would make the send rate
        // 2.3 Mbit/s, too little to count as carried (1/1.15 of the target)
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 30_000, 10_000_000);
        long target = 2_900_000;
        assertThat(estimator.startProbe(target, 0)).isTrue();
        long[] arrivals = new long[64];
        int sequence = 0;
        for (long now = 0; now < 100 * MS; now += 20 * MS) {
            for (int owed = estimator.probePaddingBytes(now); owed > 0; owed -= 250) {
                estimator.onPacketSent(sequence, 250, now, true);
                arrivals[sequence] = (now + 30 * MS) / 1000 + sequence * 20L; // 100 Mbit/s
                sequence++;
            }
        }
        estimator.onFeedback(feedback(0, java.util.Arrays.copyOf(arrivals, sequence)), SECOND / 2);
        assertThat(estimator.lastProbeResult()).isGreaterThanOrEqualTo((long) (target / 1.15));
    }

    @Test
    void mediaThatFillsAClusterDoesNotEndItEarlyAndAloneProvesNothing() {
        BandwidthEstimator estimator = new BandwidthEstimator(120_000, 30_000, 10_000_000);
        assertThat(estimator.startProbe(400_000, 0)).isTrue(); // 6,000 bytes: 120 ms at the target
        for (int i = 0; i < 6; i++) {
            estimator.onPacketSent(i, 1100, 0, false); // a key frame, more than the cluster, at once
        }
        assertThat(estimator.probePaddingBytes(0)).isZero();
        assertThat(estimator.probePaddingBytes(60 * MS)).isZero();
        assertThat(estimator.isProbing()).as("still being sent at 60 ms: a burst is not a probe").isTrue();
        assertThat(estimator.probePaddingBytes(120 * MS)).isZero();
        assertThat(estimator.isProbing()).as("over, with no padding of its own").isFalse();
        assertThat(estimator.lastProbeResult()).as("no consumer could carry padding: it proves nothing").isEqualTo(-1);
    }

    @Test
    void aClusterPacketReportedLostThatArrivesLateIsNotCountedTwice() {
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 30_000, 10_000_000);
        int packets = probeAtOnce(estimator, 4_000_000, 1500);
        assertThat(packets).isEqualTo(5);
        long n = TransportFeedback.NOT_RECEIVED;
        estimator.onFeedback(feedback(0, 40_000, 40_500, n, 41_500), 50 * MS); // the third one missing so far
        estimator.onFeedback(feedback(2, 42_000), 55 * MS); // it came after all
        assertThat(estimator.isProbing()).as("the last packet is still to be reported on").isTrue();
        estimator.onFeedback(feedback(4, 43_000), 60 * MS);
        assertThat(estimator.isProbing()).isFalse();
        assertThat(estimator.lastProbeResult()).isPositive();
    }

    @Test
    void aBurstReportedAtOneInstantProvesItsTarget() {
        BandwidthEstimator estimator = new BandwidthEstimator(1_000_000, 30_000, 10_000_000);
        int packets = probeAtOnce(estimator, 4_000_000, 1250);
        long[] arrivals = new long[packets];
        java.util.Arrays.fill(arrivals, 40_000);
        // faster than the 250 µs feedback can tell apart: at least 6,250 bytes in 250 µs, 200 Mbit/s
        estimator.onFeedback(feedback(0, arrivals), 80 * MS);
        assertThat(estimator.lastProbeResult()).as("proves its target rather than nothing").isEqualTo(4_000_000);
        assertThat(estimator.estimate()).isEqualTo(4_000_000);
    }

    /** Starts a probe at time 0 and sends what it owes then in packets of {@code size}; returns how many. */
    private static int probeAtOnce(BandwidthEstimator estimator, long target, int size) {
        assertThat(estimator.startProbe(target, 0)).isTrue();
        int packets = 0;
        for (int owed = estimator.probePaddingBytes(0); owed > 0; owed -= size) {
            estimator.onPacketSent(packets++, size, 0, true);
        }
        return packets;
    }

    @Test
    void aProbeWithoutFeedbackIsGivenUpAfterASecond() {
        BandwidthEstimator estimator = new BandwidthEstimator();
        assertThat(estimator.startProbe(3_000_000, 0)).isTrue();
        int padding = estimator.probePaddingBytes(0);
        for (int i = 0; padding > 0; i++, padding -= 1200) {
            estimator.onPacketSent(i, 1200, 0, true);
        }
        assertThat(estimator.isProbing()).isTrue();
        assertThat(estimator.probePaddingBytes(SECOND + MS)).isZero();
        assertThat(estimator.isProbing()).isFalse();
        assertThat(estimator.lastProbeResult()).isEqualTo(-1);
        assertThat(estimator.estimate()).isEqualTo(BandwidthEstimator.DEFAULT_INITIAL_BITRATE);
    }

    @Test
    void paddingSentOutsideAClusterIsRecordedAsAProbeButJudgesNothing() {
        BandwidthEstimator estimator = new BandwidthEstimator();
        estimator.onPacketSent(1, 1200, 0, true);
        assertThat(estimator.isProbing()).isFalse();
        assertThat(estimator.probePaddingBytes(0)).isZero();
    }

    @Test
    void perPacketAndPerFeedbackWorkDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads =
                ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;
        assumeTrue(threads != null && threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        BandwidthEstimator estimator = new BandwidthEstimator();
        long[] times = new long[20];
        long[] clock = {0};
        run(estimator, times, clock, 2_000);
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        long sink = run(estimator, times, clock, 20_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isNotZero();
        assertThat(allocated).isLessThan(4096);
    }

    /** {@code rounds} of 20 packets sent 5 ms apart and one feedback on them; some probe padding now and then. */
    private long run(BandwidthEstimator estimator, long[] times, long[] clock, int rounds) {
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            int base = (r * 20) & 0xFFFF;
            long start = clock[0];
            if (r % 50 == 0) {
                estimator.startProbe(estimator.estimate() * 2, start);
            }
            for (int i = 0; i < 20; i++) {
                boolean probe = estimator.probePaddingBytes(clock[0]) > 0;
                estimator.onPacketSent((base + i) & 0xFFFF, 1200, clock[0], probe);
                times[i] = i % 7 == 3 ? TransportFeedback.NOT_RECEIVED : (clock[0] + 30 * MS) / 1000 + (r & 3);
                clock[0] += 5 * MS;
            }
            int len = TransportFeedback.write(buffer, 0, 1, 2, base, r, times, times.length);
            feedback.wrap(buffer, 0, len);
            estimator.onFeedback(feedback, clock[0] + 40 * MS);
            if (r % 100 == 0) {
                estimator.onRemb(10_000_000, clock[0]);
            }
            sink += estimator.estimate();
        }
        return sink;
    }
}
