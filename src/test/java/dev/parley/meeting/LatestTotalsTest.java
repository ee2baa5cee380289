package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.TrafficTotals;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A participant's meters share one reading of its counters for a second, then read again. */
class LatestTotalsTest {

    @Test
    void oneReadingServesEveryMeterOfAScrapeAndAFreshOneFollowsASecondLater() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        AtomicLong reads = new AtomicLong();
        RelayMetrics.LatestTotals<String> totals = new RelayMetrics.LatestTotals<>(
                source -> totals(reads.incrementAndGet() * 100), now::get);

        assertThat(totals.apply("transport").packetsIn()).isEqualTo(100);
        now.addAndGet(RelayMetrics.LatestTotals.FRESH_NANOS - 1);
        for (int meter = 0; meter < 10; meter++) {
            assertThat(totals.apply("transport").packetsIn()).isEqualTo(100);
        }
        assertThat(reads).hasValue(1);

        now.addAndGet(1);
        assertThat(totals.apply("transport").packetsIn()).isEqualTo(200);
        assertThat(totals.apply("transport").totalDrops()).isEqualTo(3);
        assertThat(reads).hasValue(2);
    }

    private static TrafficTotals totals(long packets) {
        return new TrafficTotals(packets, packets * 1000, packets, packets * 1000, 0, 0, 0, 0, 0, -1,
                Map.of("srtp_auth", 1L, "unknown_ssrc", 2L));
    }
}
