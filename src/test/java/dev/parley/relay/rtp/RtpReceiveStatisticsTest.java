package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpReceiveStatisticsTest {

    private final RtpReceiveStatistics stats = new RtpReceiveStatistics(0x1234);

    private boolean receive(int seq) {
        return stats.update(seq, 0, 0);
    }

    @Test
    void sourceIsOnProbationUntilTwoSequentialPackets() {
        assertThat(stats.isValid()).isFalse();
        assertThat(receive(1000)).isFalse();
        assertThat(stats.expected()).isZero();
        assertThat(receive(1001)).isTrue();
        assertThat(stats.isValid()).isTrue();
        // A.1: the counters start at the packet that ended probation
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(1001);
    }

    @Test
    void probationRestartsOnAGap() {
        assertThat(receive(10)).isFalse();
        assertThat(receive(12)).isFalse();
        assertThat(receive(13)).isTrue();
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(13);
    }

    @Test
    void probationAcrossTheWrap() {
        assertThat(receive(65535)).isFalse();
        assertThat(receive(0)).isTrue();
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(0);
        assertThat(stats.expected()).isEqualTo(1);
    }

    @Test
    void wraparoundAt65535CountsACycle() {
        for (int seq = 65530; seq <= 65535; seq++) {
            receive(seq);
        }
        for (int seq = 0; seq <= 5; seq++) {
            assertThat(receive(seq)).isTrue();
        }
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(65536 + 5);
        // base is 65531 (the packet that ended probation): 65531..65535 and 0..5
        assertThat(stats.expected()).isEqualTo(11);
        assertThat(stats.received()).isEqualTo(11);
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.closeInterval()).isZero();
    }

    @Test
    void lossAndFractionLostPerInterval() {
        receive(0);
        receive(1); // valid, base 1
        for (int seq = 2; seq <= 101; seq++) {
            if (seq % 4 != 0) {
                receive(seq);
            }
        }
        // expected 101 (1..101), lost the 25 multiples of 4 from 4 to 100
        assertThat(stats.expected()).isEqualTo(101);
        assertThat(stats.received()).isEqualTo(76);
        assertThat(stats.cumulativeLost()).isEqualTo(25);
        assertThat(stats.closeInterval()).isEqualTo(25 * 256 / 101);

        for (int seq = 102; seq <= 201; seq++) {
            receive(seq);
        }
        assertThat(stats.closeInterval()).as("no loss in the second interval").isZero();
        assertThat(stats.cumulativeLost()).isEqualTo(25);

        for (int seq = 202; seq <= 300; seq += 2) {
            receive(seq);
        }
        // 50 received (202, 204 .. 300), 99 expected in the interval (202..300), 49 lost
        assertThat(stats.closeInterval()).isEqualTo(49 * 256 / 99);
        assertThat(stats.cumulativeLost()).isEqualTo(25 + 49);
        assertThat(stats.closeInterval()).as("empty interval").isZero();
    }

    @Test
    void reorderingWithinTheWindowIsNotLoss() {
        receive(10);
        receive(11);
        receive(13);
        receive(12);
        receive(15);
        receive(14);
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(15);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void reorderingAcrossTheWrap() {
        receive(65533);
        receive(65534);
        receive(0);
        receive(65535); // late, from before the wrap
        receive(1);
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(65536 + 1);
        assertThat(stats.expected()).isEqualTo(4);
        assertThat(stats.received()).isEqualTo(4);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void duplicatesMakeLossNegativeAndFractionZero() {
        receive(1);
        receive(2);
        receive(3);
        receive(3);
        receive(3);
        assertThat(stats.cumulativeLost()).isEqualTo(-2);
        assertThat(stats.closeInterval()).isZero();
    }

    @Test
    void largeJumpIsConfirmedBeforeResync() {
        receive(100);
        receive(101);
        assertThat(receive(20_000)).as("jump beyond MAX_DROPOUT").isFalse();
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(101);
        assertThat(receive(20_001)).as("sequential after the jump: sender restarted").isTrue();
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(20_001);
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.received()).isEqualTo(1);
    }

    @Test
    void gapBelowMaxDropoutIsLoss() {
        receive(100);
        receive(101);
        assertThat(receive(101 + 2999)).isTrue();
        assertThat(stats.cumulativeLost()).isEqualTo(2998);
    }

    @Test
    void cumulativeLostSaturatesAt24Bits() {
        receive(0);
        receive(1);
        int seq = 1;
        // jump ahead by 2999 each time: about 2998 lost per packet, 3000 packets
        for (int i = 0; i < 3000; i++) {
            seq = (seq + 2999) & 0xFFFF;
            receive(seq);
        }
        assertThat(stats.expected() - stats.received()).isGreaterThan(0x7FFFFF);
        assertThat(stats.cumulativeLost()).isEqualTo(0x7FFFFF);
    }

    @Test
    void jitterIsZeroForConstantTransit() {
        for (int i = 0; i < 50; i++) {
            stats.update(i, 3000L * i, 3000L * i + 777);
        }
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void jitterFollowsTheRfcEstimator() {
        // Reference: the floating-point form of A.8, J += (|D| - J) / 16, over the packets update() accepts.
        double reference = 0;
        long previousTransit = 0;
        boolean first = true;
        long timestamp = 0xFFFF_0000L; // the RTP clock wraps during the run
        long arrival = 5;
        for (int i = 0; i < 200; i++) {
            int seq = 65500 + i; // and so does the sequence number
            timestamp += 3000;
            arrival += 3000 + (i % 3 == 0 ? 240 : 0) - (i % 5 == 0 ? 90 : 0);
            boolean counted = stats.update(seq & 0xFFFF, timestamp & 0xFFFFFFFFL, arrival);
            if (counted) {
                long transit = (int) (arrival - timestamp);
                if (!first) {
                    reference += (Math.abs(transit - previousTransit) - reference) / 16;
                }
                previousTransit = transit;
                first = false;
            }
        }
        assertThat(reference).isGreaterThan(50);
        assertThat((double) stats.jitter()).isCloseTo(reference, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void lastSenderReportAndDelay() {
        assertThat(stats.lastSenderReport()).isZero();
        assertThat(stats.delaySinceLastSenderReport(1000)).isZero();
        stats.onSenderReport(0x0123_4567_89AB_CDEFL, 10_000);
        assertThat(stats.lastSenderReport()).isEqualTo(0x4567_89ABL);
        assertThat(stats.delaySinceLastSenderReport(11_500)).isEqualTo(98_304); // 1.5 s * 65536
        assertThat(stats.delaySinceLastSenderReport(9_000)).isZero();
        assertThat(stats.delaySinceLastSenderReport(Long.MAX_VALUE)).isEqualTo(0xFFFFFFFFL);
    }
}
