package dev.parley.relay.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.rtcp.TransportFeedback;
import org.junit.jupiter.api.Test;

/** Arrivals reported back as transport feedback, read with the feedback parser: statuses, times, loss, wrap-around. */
class ArrivalFeedbackTest {

    private static final long MS = 1_000_000L;

    private final ArrivalFeedback arrivals = new ArrivalFeedback();
    private final byte[] buf = new byte[1500];
    private final TransportFeedback view = new TransportFeedback();
    private final int[] sequences = new int[2000];
    private final long[] times = new long[2000];

    private int writeAndRead(long nowNanos) {
        int len = arrivals.write(buf, 0, 0x11, 0x22, nowNanos);
        assertThat(len).isPositive();
        assertThat(view.wrap(buf, 0, len)).isTrue();
        return view.packets(sequences, times, 0);
    }

    @Test
    void arrivalsAndGapsAreReportedOnceInOrder() {
        long t0 = 1_000 * MS;
        arrivals.onPacket(100, t0);
        arrivals.onPacket(101, t0 + 5 * MS);
        arrivals.onPacket(104, t0 + 20 * MS); // 102 and 103 lost
        arrivals.onPacket(103, t0 + 21 * MS); // 103 late but not yet reported: received after all
        assertThat(arrivals.isDue(t0 + 60 * MS)).isTrue();

        int count = writeAndRead(t0 + 60 * MS);

        assertThat(count).isEqualTo(5);
        assertThat(view.baseSequenceNumber()).isEqualTo(100);
        assertThat(sequences).startsWith(100, 101, 102, 103, 104);
        assertThat(times[2]).isEqualTo(TransportFeedback.NOT_RECEIVED);
        assertThat(times[1] - times[0]).isEqualTo(5_000);
        assertThat(times[4] - times[0]).isEqualTo(20_000);
        assertThat(times[3] - times[0]).isEqualTo(21_000);
        assertThat(arrivals.isDue(t0 + 200 * MS)).as("nothing new").isFalse();

        arrivals.onPacket(102, t0 + 70 * MS);
        arrivals.onPacket(105, t0 + 71 * MS);
        assertThat(writeAndRead(t0 + 120 * MS)).as("102 came too late: only 105").isEqualTo(1);
        assertThat(view.baseSequenceNumber()).isEqualTo(105);
        assertThat(view.feedbackPacketCount()).isEqualTo(1);
    }

    @Test
    void sequenceNumbersWrapAround() {
        arrivals.onPacket(65534, 10 * MS);
        arrivals.onPacket(65535, 11 * MS);
        arrivals.onPacket(0, 12 * MS);
        arrivals.onPacket(1, 13 * MS);

        assertThat(writeAndRead(100 * MS)).isEqualTo(4);
        assertThat(view.baseSequenceNumber()).isEqualTo(65534);
        assertThat(sequences).startsWith(65534, 65535, 0, 1);
    }

    @Test
    void aLongBurstGoesOutInSeveralFeedbacks() {
        for (int i = 0; i < 1000; i++) {
            arrivals.onPacket(i, (10 + i) * MS / 10);
        }
        int total = 0;
        long now = 1_000 * MS;
        for (int round = 0; round < 10 && arrivals.isDue(now); round++) {
            total += writeAndRead(now);
            now += ArrivalFeedback.INTERVAL_NANOS;
        }
        assertThat(total).isEqualTo(1000);
    }
}
