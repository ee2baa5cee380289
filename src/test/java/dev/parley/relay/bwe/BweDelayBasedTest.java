package dev.parley.relay.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The parts of the delay-based estimate: packet groups, trendline, overuse detector, AIMD rate control. */
class BweDelayBasedTest {

    private static final long MS = 1_000_000;

    @Test
    void packetsSentWithinFiveMillisecondsFormOneGroup() {
        PacketGroups groups = new PacketGroups();
        // a frame of three packets sent 1 ms apart, arriving 2 ms apart, then the next frame 33 ms later
        assertThat(groups.add(0, 50 * MS, 1000)).isFalse();
        assertThat(groups.add(1 * MS, 52 * MS, 1000)).isFalse();
        assertThat(groups.add(2 * MS, 54 * MS, 1000)).isFalse();
        assertThat(groups.add(33 * MS, 84 * MS, 500)).isFalse();
        assertThat(groups.add(34 * MS, 86 * MS, 500)).isFalse();
        // the third frame completes the second group
        assertThat(groups.add(66 * MS, 130 * MS, 800)).isTrue();
        assertThat(groups.sendDeltaNanos()).isEqualTo(32 * MS);
        assertThat(groups.arrivalDeltaNanos()).isEqualTo(32 * MS);
        assertThat(groups.sizeDeltaBytes()).isEqualTo(1000 - 3000);
        assertThat(groups.completedArrivalNanos()).isEqualTo(86 * MS);
        // the fourth completes the third: it arrived 12 ms later than it was sent after the second
        assertThat(groups.add(99 * MS, 140 * MS, 800)).isTrue();
        assertThat(groups.arrivalDeltaNanos() - groups.sendDeltaNanos()).isEqualTo(12 * MS);
    }

    @Test
    void packetsTheNetworkBatchedJoinTheGroupAndLateOnesAreIgnored() {
        PacketGroups groups = new PacketGroups();
        groups.add(0, 100 * MS, 100);
        // sent 10 ms later but arrived 1 ms after the first: a burst, same group
        groups.add(10 * MS, 101 * MS, 100);
        assertThat(groups.add(40 * MS, 140 * MS, 100)).isFalse();
        // sent before the current group began: ignored
        assertThat(groups.add(5 * MS, 141 * MS, 100)).isFalse();
        assertThat(groups.add(80 * MS, 180 * MS, 100)).isTrue();
        assertThat(groups.sendDeltaNanos()).isEqualTo(30 * MS);
        assertThat(groups.arrivalDeltaNanos()).isEqualTo(39 * MS);
    }

    @Test
    void aGroupArrivingBeforeTheOneBeforeIsSkippedAndThreeStartOver() {
        PacketGroups groups = new PacketGroups();
        groups.add(0, 100 * MS, 100);
        groups.add(20 * MS, 120 * MS, 100);
        // joins the second group (sent within 5 ms) but arrives before the first group did
        groups.add(22 * MS, 60 * MS, 100);
        assertThat(groups.add(40 * MS, 130 * MS, 100)).isFalse();
        assertThat(groups.add(60 * MS, 150 * MS, 100)).isFalse();
        assertThat(groups.add(80 * MS, 170 * MS, 100)).as("third in a row: start over").isFalse();
        assertThat(groups.add(100 * MS, 200 * MS, 100)).isFalse();
        assertThat(groups.add(120 * MS, 220 * MS, 100)).isFalse();
        assertThat(groups.add(140 * MS, 240 * MS, 100)).isTrue();
        assertThat(groups.arrivalDeltaNanos()).isEqualTo(20 * MS);
    }

    @Test
    void trendlineIsTheSlopeOfTheSmoothedDelay() {
        TrendlineFilter flat = new TrendlineFilter();
        for (int i = 0; i < 50; i++) {
            flat.update(0, i * 20 * MS);
        }
        assertThat(flat.trend()).isZero();
        assertThat(flat.deltaCount()).isEqualTo(50);

        // every 20 ms group arrives 2 ms later than sent: the queue grows by 10 % of the time
        TrendlineFilter growing = new TrendlineFilter();
        for (int i = 0; i < 19; i++) {
            assertThat(growing.update(2, i * 20 * MS)).as("no trend before 20 points").isZero();
        }
        for (int i = 19; i < 200; i++) {
            growing.update(2, i * 20 * MS);
        }
        assertThat(growing.trend()).isCloseTo(0.1, within(0.005));

        TrendlineFilter draining = new TrendlineFilter();
        for (int i = 0; i < 200; i++) {
            draining.update(-1, i * 20 * MS);
        }
        assertThat(draining.trend()).isCloseTo(-0.05, within(0.005));
    }

    @Test
    void detectorFlagsASustainedPositiveTrendAndAdaptsItsThreshold() {
        OveruseDetector detector = new OveruseDetector();
        assertThat(detector.detect(0.5, 1, 20, 0)).as("too few deltas").isEqualTo(BandwidthUsage.NORMAL);
        // scaled trend 60 * 0.1 * 4 = 24 > 12.5: overuse once over 10 ms and two samples
        assertThat(detector.detect(0.1, 60, 5, 10 * MS)).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(detector.detect(0.1, 60, 5, 15 * MS)).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(detector.detect(0.1, 60, 5, 20 * MS)).isEqualTo(BandwidthUsage.OVERUSING);
        assertThat(detector.detect(-0.1, 60, 5, 25 * MS)).isEqualTo(BandwidthUsage.UNDERUSING);
        assertThat(detector.detect(0.0, 60, 5, 30 * MS)).isEqualTo(BandwidthUsage.NORMAL);

        // a steady scaled trend of 10 pulls the threshold towards it (down from 12.5), never below 6
        OveruseDetector adapting = new OveruseDetector();
        for (int i = 0; i < 100; i++) {
            adapting.detect(10.0 / (60 * 4), 60, 20, i * 20 * MS);
        }
        assertThat(adapting.threshold()).isCloseTo(10, within(0.1));
        // a spike far above it does not move it
        double before = adapting.threshold();
        adapting.detect(1, 60, 20, 2100 * MS);
        assertThat(adapting.threshold()).isEqualTo(before);
    }

    @Test
    void aimdDecreasesToEightyFivePercentOfTheAcknowledgedBitrate() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        assertThat(aimd.update(BandwidthUsage.OVERUSING, 600_000, 0)).isEqualTo(600_000 * 85 / 100 - 5_000);
        // never upward on overuse
        assertThat(aimd.update(BandwidthUsage.OVERUSING, 900_000, 300 * MS)).isEqualTo(505_000);
        // underuse holds
        assertThat(aimd.update(BandwidthUsage.UNDERUSING, 500_000, 400 * MS)).isEqualTo(505_000);
    }

    @Test
    void aimdIncreasesByEightPercentASecondUntilACapacityIsKnownThenAdditively() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        long t = 0;
        aimd.update(BandwidthUsage.NORMAL, 1_000_000, t);
        for (int i = 0; i < 10; i++) {
            t += 100 * MS;
            aimd.update(BandwidthUsage.NORMAL, 2_000_000, t);
        }
        assertThat(aimd.bitrate()).isCloseTo(1_080_000, within(2_000L));

        // the increase stops at 1.5 times the acknowledged bitrate plus 10 kbit/s
        for (int i = 0; i < 100; i++) {
            t += 100 * MS;
            aimd.update(BandwidthUsage.NORMAL, 800_000, t);
        }
        assertThat(aimd.bitrate()).isEqualTo(1_210_000);

        // after an overuse the capacity is known: about one packet per response time per second
        aimd.update(BandwidthUsage.OVERUSING, 1_000_000, t);
        assertThat(aimd.bitrate()).isEqualTo(845_000);
        aimd.setRttNanos(100 * MS);
        t += 100 * MS;
        aimd.update(BandwidthUsage.NORMAL, 1_000_000, t);
        for (int i = 0; i < 10; i++) {
            t += 100 * MS;
            aimd.update(BandwidthUsage.NORMAL, 1_000_000, t);
        }
        // 845 kbit/s at 30 fps: 3521 bytes a frame in 3 packets of 1174 bytes = 9389 bits per 0.4 s
        assertThat(aimd.bitrate()).isCloseTo(845_000 + 23_472, within(500L));
    }

    @Test
    void aimdStaysWithinItsBounds() {
        AimdRateControl aimd = new AimdRateControl(50_000_000, 100_000, 2_000_000);
        assertThat(aimd.bitrate()).isEqualTo(2_000_000);
        aimd.update(BandwidthUsage.OVERUSING, 10_000, 0);
        assertThat(aimd.bitrate()).isEqualTo(100_000);
    }

    @Test
    void delayBasedEstimateFallsWhenTheQueueGrowsAndRisesWhenItDoesNot() {
        DelayBasedEstimator steady = new DelayBasedEstimator(1_000_000, 10_000, 10_000_000);
        DelayBasedEstimator queued = new DelayBasedEstimator(1_000_000, 10_000, 10_000_000);
        long lowestQueued = Long.MAX_VALUE;
        boolean overuse = false;
        for (int i = 0; i < 200; i++) {
            long send = i * 10 * MS;
            steady.onPacket(send, send + 50 * MS, 1200);
            // each packet waits 1 ms longer than the one before
            queued.onPacket(send, send + 50 * MS + i * MS, 1200);
            if (i % 10 == 9) {
                steady.update(960_000, 100 * MS, send + 60 * MS);
                queued.update(960_000, 100 * MS, send + 60 * MS);
                assertThat(steady.state()).isEqualTo(BandwidthUsage.NORMAL);
                overuse |= queued.state() == BandwidthUsage.OVERUSING;
                lowestQueued = Math.min(lowestQueued, queued.bitrate());
            }
        }
        assertThat(steady.bitrate()).isGreaterThan(1_100_000);
        assertThat(overuse).isTrue();
        assertThat(lowestQueued).isEqualTo(960_000 * 85 / 100 - 5_000);
    }
}
