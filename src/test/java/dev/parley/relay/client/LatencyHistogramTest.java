package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsCoverEveryValueWithinOneSixteenth() {
        int previous = -1;
        for (long micros = 0; micros < 5_000_000; micros += 1 + micros / 100) {
            int bucket = LatencyHistogram.bucketOf(micros);
            assertThat(bucket).isGreaterThanOrEqualTo(previous).isLessThan(LatencyHistogram.BUCKETS);
            long upper = LatencyHistogram.bucketUpperMicros(bucket);
            assertThat(upper).isGreaterThanOrEqualTo(micros);
            assertThat(upper - micros).isLessThanOrEqualTo(Math.max(0, micros / 16));
            if (bucket > 0) {
                assertThat(LatencyHistogram.bucketUpperMicros(bucket - 1)).isLessThan(micros);
            }
            previous = bucket;
        }
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE / 1000)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void percentilesMinMaxAndMean() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileNanos(50)).isZero();
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms * 1_000_000L);
        }
        h.record(-5);
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.negativeCount()).isEqualTo(1);
        assertThat(h.minNanos()).isEqualTo(1_000_000L);
        assertThat(h.maxNanos()).isEqualTo(1_000_000_000L);
        assertThat(h.meanNanos()).isEqualTo(500.5e6);
        assertThat(h.percentileNanos(50)).isBetween(500_000_000L, 500_000_000L + 500_000_000L / 16 + 1000);
        assertThat(h.percentileNanos(99)).isBetween(990_000_000L, 1_000_000_000L);
        assertThat(h.percentileNanos(100)).isEqualTo(1_000_000_000L);
        assertThat(h.percentileNanos(0)).isBetween(1_000_000L, 1_000_000L + 1_000_000L / 16 + 1000);
        assertThatThrownBy(() -> h.percentileNanos(101)).isInstanceOf(IllegalArgumentException.class);
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.maxNanos()).isZero();
    }
}
