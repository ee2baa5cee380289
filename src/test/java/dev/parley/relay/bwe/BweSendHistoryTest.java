package dev.parley.relay.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BweSendHistoryTest {

    @Test
    void remembersWhatWasSentAcrossTheSixteenBitWrap() {
        SendHistory history = new SendHistory(8);
        long first = history.onPacketSent(65_534, 100, 1_000, SendHistory.NO_CLUSTER);
        long second = history.onPacketSent(65_535, 200, 2_000, 7);
        long third = history.onPacketSent(0, 300, 3_000, SendHistory.UNCLUSTERED_PROBE);
        assertThat(second).isEqualTo(first + 1);
        assertThat(third).isEqualTo(first + 2);
        assertThat(history.latest()).isEqualTo(third);
        assertThat(history.unwrap(65_535)).isEqualTo(second);
        assertThat(history.unwrap(0)).isEqualTo(third);
        assertThat(history.sendTimeNanos(third)).isEqualTo(3_000);
        assertThat(history.size(second)).isEqualTo(200);
        assertThat(history.isProbe(first)).isFalse();
        assertThat(history.probeCluster(second)).isEqualTo(7);
        assertThat(history.isProbe(third)).isTrue();
        assertThat(history.contains(third + 1)).as("not sent yet").isFalse();
    }

    @Test
    void forgetsAPacketWhenItsSlotIsTaken() {
        SendHistory history = new SendHistory(4);
        long first = history.onPacketSent(10, 1, 0, 0);
        for (int seq = 11; seq <= 13; seq++) {
            history.onPacketSent(seq, 1, seq, 0);
        }
        assertThat(history.contains(first)).isTrue();
        history.onPacketSent(14, 1, 14, 0);
        assertThat(history.contains(first)).isFalse();
        assertThat(history.contains(history.unwrap(14))).isTrue();
        assertThatThrownBy(() -> history.size(first)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsWhatFeedbackReported() {
        SendHistory history = new SendHistory();
        long seq = history.onPacketSent(5, 1, 0, 0);
        assertThat(history.report(seq)).isEqualTo(SendHistory.NOT_REPORTED);
        history.setReport(seq, SendHistory.REPORTED_LOST);
        assertThat(history.report(seq)).isEqualTo(SendHistory.REPORTED_LOST);
        long again = history.onPacketSent(5 + SendHistory.DEFAULT_CAPACITY, 1, 0, 0);
        assertThat(history.report(again)).as("a new packet in the slot starts unreported")
                .isEqualTo(SendHistory.NOT_REPORTED);
    }

    @Test
    void capacityIsAPowerOfTwo() {
        assertThatThrownBy(() -> new SendHistory(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendHistory(1 << 15)).isInstanceOf(IllegalArgumentException.class);
    }
}
