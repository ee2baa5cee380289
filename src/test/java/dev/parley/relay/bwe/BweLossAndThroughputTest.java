package dev.parley.relay.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The loss-based bitrate, the acknowledged bitrate and the round trip. */
class BweLossAndThroughputTest {

    private static final long MS = 1_000_000;
    private static final long SECOND = 1000 * MS;

    @Test
    void lossBelowTwoPercentRaisesAboveTenLowersBetweenHolds() {
        LossBasedControl low = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        low.onFeedback(1, 99, -1, false, 0);
        assertThat(low.bitrate()).as("a period is a second").isEqualTo(1_000_000);
        low.onFeedback(0, 100, -1, false, SECOND);
        assertThat(low.lossFraction()).isEqualTo(0.005);
        assertThat(low.bitrate()).isEqualTo(1_081_000);

        LossBasedControl middle = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        middle.onFeedback(5, 95, -1, false, 0);
        middle.onFeedback(5, 95, -1, false, SECOND);
        assertThat(middle.bitrate()).isEqualTo(1_000_000);

        LossBasedControl high = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        high.onFeedback(20, 80, -1, false, 0);
        high.onFeedback(20, 80, -1, false, SECOND);
        assertThat(high.lossFraction()).isEqualTo(0.2);
        assertThat(high.bitrate()).isEqualTo(900_000);
    }

    @Test
    void lossIsSmoothedFromPeriodToPeriod() {
        LossBasedControl loss = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        loss.onFeedback(4, 96, -1, false, 0);
        loss.onFeedback(0, 0, -1, false, SECOND);
        assertThat(loss.lossFraction()).isEqualTo(0.04);
        // one period of 14 %: smoothed 9 %, which holds
        loss.onFeedback(14, 86, -1, false, 2 * SECOND);
        assertThat(loss.lossFraction()).isCloseTo(0.09, within(1e-9));
        assertThat(loss.bitrate()).isEqualTo(1_000_000);
        // it goes on: 11.5 %, a decrease
        loss.onFeedback(14, 86, -1, false, 3 * SECOND);
        assertThat(loss.lossFraction()).isCloseTo(0.115, within(1e-9));
        assertThat(loss.bitrate()).isEqualTo(942_500);
    }

    @Test
    void fewerThanTwentyPacketsWaitForMore() {
        LossBasedControl loss = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        loss.onFeedback(5, 5, -1, false, 0);
        loss.onFeedback(5, 4, -1, false, 2 * SECOND);
        assertThat(loss.lossFraction()).isEqualTo(-1);
        loss.onFeedback(0, 1, -1, false, 3 * SECOND);
        assertThat(loss.lossFraction()).isEqualTo(0.5);
        assertThat(loss.bitrate()).isEqualTo(750_000);
    }

    @Test
    void lossWithAStandingQueueBacksOffToTheAcknowledgedBitrate() {
        LossBasedControl loss = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        loss.onFeedback(5, 95, 900_000, true, 0);
        loss.onFeedback(0, 0, 900_000, true, SECOND);
        assertThat(loss.bitrate()).isEqualTo(765_000);
        // no queue: the same loss holds
        LossBasedControl random = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        random.onFeedback(5, 95, 900_000, false, 0);
        random.onFeedback(0, 0, 900_000, false, SECOND);
        assertThat(random.bitrate()).isEqualTo(1_000_000);
    }

    @Test
    void capsAndRaises() {
        LossBasedControl loss = new LossBasedControl(1_000_000, 50_000, 2_000_000);
        loss.capAt(600_000);
        assertThat(loss.bitrate()).isEqualTo(600_000);
        loss.capAt(10_000);
        assertThat(loss.bitrate()).isEqualTo(50_000);
        loss.raiseTo(5_000_000);
        assertThat(loss.bitrate()).isEqualTo(2_000_000);
    }

    @Test
    void acknowledgedBitrateIsTheBytesReceivedOverTheLastHalfSecond() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        assertThat(acked.bitrate()).isEqualTo(-1);
        // 1000 bytes every 10 ms: 800 kbit/s
        for (int i = 0; i < 20; i++) {
            acked.onReceived(i * 10 * MS, 1000);
        }
        assertThat(acked.bitrate()).as("190 ms is too short").isEqualTo(-1);
        for (int i = 20; i < 100; i++) {
            acked.onReceived(i * 10 * MS, 1000);
        }
        assertThat(acked.bitrate()).isEqualTo(800_000);
        // then 500 bytes every 10 ms: after half a second only those count
        for (int i = 100; i < 151; i++) {
            acked.onReceived(i * 10 * MS, 500);
        }
        assertThat(acked.bitrate()).isEqualTo(400_000);
    }

    @Test
    void acknowledgedBitrateAtHighRatesUsesTheLastThousandPackets() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        // 1200 bytes every 50 µs: 192 Mbit/s, 1024 packets span 51 ms
        for (int i = 0; i < 5000; i++) {
            acked.onReceived(i * 50_000L, 1200);
        }
        assertThat(acked.bitrate()).isEqualTo(192_000_000);
    }

    @Test
    void roundTripBaseAndStandingQueue() {
        RoundTripTime rtt = new RoundTripTime();
        assertThat(rtt.smoothed()).isEqualTo(-1);
        assertThat(rtt.standingQueue()).isFalse();
        rtt.onSample(60 * MS, 0);
        assertThat(rtt.base()).isEqualTo(60 * MS);
        for (int i = 1; i <= 50; i++) {
            rtt.onSample(400 * MS, i * 100 * MS);
        }
        assertThat(rtt.smoothed()).isGreaterThan(390 * MS);
        assertThat(rtt.standingQueue()).isTrue();
        // 10 to 20 s later the old minimum is forgotten: the queue is the new normal
        for (int i = 51; i <= 250; i++) {
            rtt.onSample(400 * MS, i * 100 * MS);
        }
        assertThat(rtt.base()).isEqualTo(400 * MS);
        assertThat(rtt.standingQueue()).isFalse();
    }
}
