package dev.parley.relay.rtcp;

import static dev.parley.relay.rtcp.TransportFeedback.NOT_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.relay.rtcp.TransportFeedbackSamples.Sample;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransportFeedbackTest {

    private final TransportFeedback feedback = new TransportFeedback();
    private final int[] seqs = new int[70_000];
    private final long[] times = new long[70_000];

    private TransportFeedback wrap(byte[] b) {
        assertThat(feedback.wrap(b, 0, b.length)).as("wraps").isTrue();
        return feedback;
    }

    /** Statuses of the wrapped feedback: receive times relative to the reference time, in 250 µs ticks, or -1. */
    private long[] ticks() {
        int n = feedback.packets(seqs, times, 0);
        assertThat(n).isEqualTo(feedback.packetStatusCount());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            assertThat(seqs[i]).isEqualTo((feedback.baseSequenceNumber() + i) & 0xFFFF);
            out[i] = times[i] == NOT_RECEIVED ? -1
                    : (times[i] - feedback.referenceTimeMicros()) / TransportFeedback.DELTA_TICK_MICROS;
        }
        return out;
    }

    @Test
    void draftRunLengthExamples() {
        // Section 3.1.3 example 1: a run of 221 "packet not received".
        assertThat(TransportFeedback.chunkSymbolCount(0x00DD)).isEqualTo(221);
        assertThat(TransportFeedback.chunkSymbol(0x00DD, 220)).isEqualTo(TransportFeedback.SYMBOL_NOT_RECEIVED);
        // Example 2: a run of 24 with symbol 11, which section 3.1.1 lists as reserved.
        assertThat(TransportFeedback.chunkSymbolCount(0x6018)).isEqualTo(24);
        assertThat(TransportFeedback.chunkSymbol(0x6018, 0)).isEqualTo(TransportFeedback.SYMBOL_RESERVED);

        wrap(Hex.bytes("8f cd 00 05 | 00 00 00 01 | 00 00 00 02 | 12 34 00 dd | 00 00 01 07 | 00 dd 00 00"));
        assertThat(feedback.baseSequenceNumber()).isEqualTo(0x1234);
        assertThat(feedback.packetStatusCount()).isEqualTo(221);
        assertThat(feedback.receivedCount()).isZero();
        assertThat(feedback.notReceivedCount()).isEqualTo(221);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(7);
        assertThat(ticks()).containsOnly(-1L);

        byte[] reserved =
                Hex.bytes("8f cd 00 05 | 00 00 00 01 | 00 00 00 02 | 12 34 00 18 | 00 00 01 07 | 60 18 00 00");
        assertThat(feedback.wrap(reserved, 0, reserved.length)).as("reserved symbol").isFalse();
    }

    @Test
    void draftStatusVectorExamples() {
        // Section 3.1.4 example 1: one-bit symbols, 1x not received, 5x received, 3x not, 3x received, 2x not.
        int oneBit = 0x9F1C;
        assertThat(TransportFeedback.chunkSymbolCount(oneBit)).isEqualTo(14);
        int[] symbols = new int[14];
        for (int i = 0; i < 14; i++) {
            symbols[i] = TransportFeedback.chunkSymbol(oneBit, i);
        }
        assertThat(symbols).containsExactly(0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0);
        // Example 2: two-bit symbols, not received, "received w/o timestamp" (the reserved 11), 3x received, 2x not.
        int twoBit = 0xCD50;
        assertThat(TransportFeedback.chunkSymbolCount(twoBit)).isEqualTo(7);
        symbols = new int[7];
        for (int i = 0; i < 7; i++) {
            symbols[i] = TransportFeedback.chunkSymbol(twoBit, i);
        }
        assertThat(symbols).containsExactly(0, 3, 1, 1, 1, 0, 0);

        // Example 1 as a whole feedback: 8 received packets, 8 small deltas of 1 ms each.
        wrap(Hex.bytes("8f cd 00 07 | 00 00 00 01 | 00 00 00 02 | 00 0a 00 0e | 00 00 10 00 | 9f 1c 04 04"
                + "| 04 04 04 04 | 04 04 00 00"));
        assertThat(feedback.receivedCount()).isEqualTo(8);
        assertThat(ticks()).containsExactly(-1, 4, 8, 12, 16, 20, -1, -1, -1, 24, 28, 32, -1, -1);
        assertThat(feedback.referenceTime()).isEqualTo(0x10);
        assertThat(feedback.referenceTimeMicros()).isEqualTo(16 * 64_000L);

        byte[] reserved = Hex.bytes("8f cd 00 06 | 00 00 00 01 | 00 00 00 02 | 00 0a 00 07 | 00 00 10 00"
                + "| cd 50 04 04 | 04 00 00 00");
        assertThat(feedback.wrap(reserved, 0, reserved.length)).as("reserved symbol").isFalse();
    }

    @Test
    void chromeFeedbackReadsAsLibwebrtcReadsIt() {
        for (Sample sample : TransportFeedbackSamples.CHROME) {
            wrap(sample.bytes());
            assertThat(feedback.senderSsrc()).as(sample.name()).isEqualTo(0xFA17FA17);
            assertThat(feedback.baseSequenceNumber()).as(sample.name()).isEqualTo(sample.baseSequenceNumber());
            assertThat(feedback.packetStatusCount()).as(sample.name()).isEqualTo(sample.statusCount());
            assertThat(feedback.referenceTime()).as(sample.name()).isEqualTo(sample.referenceTime());
            assertThat(feedback.feedbackPacketCount()).as(sample.name()).isEqualTo(sample.feedbackPacketCount());
            assertThat(feedback.receivedCount()).as(sample.name()).isEqualTo(sample.statusCount());
            long[] t = ticks();
            int[] millis = new int[t.length];
            for (int i = 0; i < t.length; i++) {
                millis[i] = (int) ((t[i] - (i == 0 ? 0 : t[i - 1])) / 4);
            }
            assertThat(millis).as(sample.name()).containsExactly(sample.deltaMillis());
        }
    }

    @Test
    void rewritingChromeFeedbackGivesChromesBytes() {
        for (Sample sample : TransportFeedbackSamples.CHROME) {
            assertThat(rewrite(sample.bytes())).as(sample.name()).isEqualTo(sample.bytes());
        }
        assertThat(rewrite(TransportFeedbackSamples.ONE_BIT_VECTOR)).isEqualTo(TransportFeedbackSamples.ONE_BIT_VECTOR);
        assertThat(rewrite(TransportFeedbackSamples.WIRESHARK_CAPTURE))
                .isEqualTo(TransportFeedbackSamples.WIRESHARK_CAPTURE);
    }

    private byte[] rewrite(byte[] original) {
        wrap(original);
        int n = feedback.packets(seqs, times, 0);
        byte[] out = new byte[original.length + 8];
        int len = TransportFeedback.write(out, 0, feedback.senderSsrc(), feedback.mediaSsrc(),
                feedback.baseSequenceNumber(), feedback.feedbackPacketCount(), times, n);
        return Arrays.copyOf(out, len);
    }

    @Test
    void oneBitVectorWhoseLastSlotTheCountCutsOff() {
        wrap(TransportFeedbackSamples.ONE_BIT_VECTOR);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(39);
        assertThat(feedback.packetStatusCount()).isEqualTo(13);
        assertThat(feedback.referenceTime()).isEqualTo(0x5FC2F1);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(3);
        assertThat(feedback.receivedCount()).isEqualTo(10);
        assertThat(ticks()).containsExactly(16, 16, 16, 16, 16, 16, 16, -1, -1, -1, 44, 48, 48);
    }

    @Test
    void wiresharkCapture() {
        wrap(TransportFeedbackSamples.WIRESHARK_CAPTURE);
        assertThat(feedback.mediaSsrc()).isEqualTo(0xdd586eb6);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(1);
        assertThat(feedback.packetStatusCount()).isEqualTo(9);
        assertThat(feedback.referenceTime()).isEqualTo(6197520);
        assertThat(feedback.feedbackPacketCount()).isZero();
        // 7, 3, 11, 14, 0, 1, 0, 2 and 6 ms after one another
        assertThat(ticks()).containsExactly(28, 40, 84, 140, 140, 144, 144, 152, 176);
    }

    @Test
    void pionVectors() {
        wrap(TransportFeedbackSamples.PION_MIXED);
        assertThat(feedback.senderSsrc()).isEqualTo((int) 2608133663L);
        assertThat(feedback.mediaSsrc()).isEqualTo((int) 2473712828L);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(34108);
        assertThat(feedback.packetStatusCount()).isEqualTo(9);
        assertThat(feedback.referenceTime()).isEqualTo(6551830);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(179);
        assertThat(feedback.receivedCount()).isEqualTo(6);
        // deltas 38750, 42500, 26500, 42500, 30750 and (large) 66250 µs
        long a = 155;
        long b = a + 170;
        long c = b + 106;
        long d = c + 170;
        long e = d + 123;
        assertThat(ticks()).containsExactly(a, b, c, d, e, -1, e + 265, -1, -1);

        wrap(TransportFeedbackSamples.PION_RUN);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(4);
        assertThat(feedback.referenceTime()).isEqualTo(1074030);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(1);
        // 19000, 9000, 9000, 4000, 3000, 3000, 4000 µs
        assertThat(ticks()).containsExactly(76, 112, 148, 164, 176, 188, 204);
    }

    @Test
    void refusesWhatPionAcceptsButTheRtcpRulesOrLibwebrtcDoNot() {
        byte[][] refused = {
            TransportFeedbackSamples.PION_PADDING_ZERO, TransportFeedbackSamples.PION_RESERVED_SYMBOL,
            TransportFeedbackSamples.PION_PADDING_OVER_DELTAS, TransportFeedbackSamples.PION_EMPTY,
            TransportFeedbackSamples.PION_SHORT_SMALL, TransportFeedbackSamples.PION_SHORT_LARGE,
        };
        for (byte[] b : refused) {
            assertThat(feedback.wrap(b, 0, b.length)).as(HexFormat.of().formatHex(b)).isFalse();
        }
        // pion's example 3 without the P bit: 2 large deltas (2047.5 and 2022.5 ms), then 52, 0, 52 and 0 ms.
        byte[] unpadded = TransportFeedbackSamples.PION_PADDING_ZERO.clone();
        unpadded[0] &= ~0x20;
        wrap(unpadded);
        assertThat(ticks()).containsExactly(8190, 8190 + 8090, 16_280 + 208, 16_488, 16_488 + 208, 16_696);
    }

    @Test
    void refusesTruncationsAndOtherFeedback() {
        byte[] good = TransportFeedbackSamples.ONE_BIT_VECTOR;
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            if (len >= 4) {
                cut[3] = (byte) (len / 4 - 1);
            }
            assertThat(feedback.wrap(cut, 0, cut.length)).as("cut to %d bytes", len).isFalse();
        }
        assertThat(feedback.wrap(RtcpSamples.NACK, 0, RtcpSamples.NACK.length)).as("FMT 1").isFalse();
        assertThat(feedback.wrap(RtcpSamples.REMB, 0, RtcpSamples.REMB.length)).as("PSFB").isFalse();
        assertThat(feedback.wrap(null, 0, 10)).isFalse();
        assertThat(feedback.wrap(good, 4, good.length)).isFalse();
        // the sample the other RTCP tests use: one packet, 1 ms after reference time 64 ms
        wrap(RtcpSamples.TRANSPORT_CC);
        assertThat(ticks()).containsExactly(4);
    }

    @Test
    void packetsStopsWhenTheArraysAreFull() {
        wrap(TransportFeedbackSamples.PION_MIXED);
        int[] s = new int[5];
        long[] t = new long[8];
        assertThat(feedback.packets(s, t, 2)).isEqualTo(3);
        assertThat(s).containsExactly(0, 0, 34108, 34109, 34110);
        assertThat(feedback.packets(s, t, 5)).isZero();
        assertThat(feedback.packets(s, t, 9)).isZero();
    }

    @Test
    void writesTheDraftRunExampleAndMixedChunks() {
        long[] lost = new long[221];
        Arrays.fill(lost, NOT_RECEIVED);
        byte[] out = new byte[64];
        int len = TransportFeedback.write(out, 0, 1, 2, 0x1234, 7, lost, lost.length);
        assertThat(Arrays.copyOf(out, len)).isEqualTo(
                Hex.bytes("af cd 00 05 | 00 00 00 01 | 00 00 00 02 | 12 34 00 dd | 00 00 00 07 | 00 dd 00 02"));

        // the draft's one-bit example, then a large and a negative delta as a run of two large-delta symbols
        long ms = 1000;
        long[] t = {NOT_RECEIVED, 1 * ms, 2 * ms, 3 * ms, 4 * ms, 5 * ms, NOT_RECEIVED, NOT_RECEIVED, NOT_RECEIVED,
            6 * ms, 7 * ms, 8 * ms, NOT_RECEIVED, NOT_RECEIVED, 100 * ms, 90 * ms};
        len = TransportFeedback.write(out, 0, 1, 2, 65_530, 255, t, t.length);
        assertThat(Arrays.copyOf(out, len)).isEqualTo(Hex.bytes("8f cd 00 08 | 00 00 00 01 | 00 00 00 02"
                + "| ff fa 00 10 | 00 00 00 ff | 9f 1c 40 02 | 04 04 04 04 | 04 04 04 04 | 01 70 ff d8"));
        wrap(Arrays.copyOf(out, len));
        assertThat(ticks()).containsExactly(-1, 4, 8, 12, 16, 20, -1, -1, -1, 24, 28, 32, -1, -1, 400, 360);
    }

    @Test
    void roundTripOfRandomArrivals() {
        SplittableRandom random = new SplittableRandom(8888);
        byte[] out = new byte[300_000];
        TransportFeedback again = new TransportFeedback();
        for (int round = 0; round < 300; round++) {
            int count = round == 0 ? TransportFeedback.MAX_STATUS_COUNT : random.nextInt(1, 3000);
            long[] arrivals = new long[count];
            long now = random.nextLong(0, 1L << 40);
            double lossRate = random.nextDouble(0, 0.6);
            for (int i = 0; i < count; i++) {
                if (random.nextDouble() < lossRate) {
                    arrivals[i] = NOT_RECEIVED;
                    continue;
                }
                int kind = random.nextInt(100);
                now += kind < 80 ? random.nextInt(0, 64_000) : kind < 95 ? random.nextInt(-8_000_000, 8_000_000)
                        : random.nextInt(0, 5);
                arrivals[i] = now;
            }
            int base = random.nextInt(0x10000);
            int len = TransportFeedback.write(out, 0, 7, 9, base, round, arrivals, count);
            assertThat(len).as("round %d", round).isPositive();
            assertThat(len % 4).isZero();
            assertThat(again.wrap(out, 0, len)).isTrue();
            assertThat(again.packetStatusCount()).isEqualTo(count);
            assertThat(again.baseSequenceNumber()).isEqualTo(base);
            assertThat(again.feedbackPacketCount()).isEqualTo(round & 0xFF);
            assertThat(again.packets(seqs, times, 0)).isEqualTo(count);
            long wrapPeriod = (1L << 24) * TransportFeedback.REFERENCE_TIME_TICK_MICROS;
            long shift = Long.MIN_VALUE;
            for (int i = 0; i < count; i++) {
                assertThat(seqs[i]).isEqualTo((base + i) & 0xFFFF);
                if (arrivals[i] == NOT_RECEIVED) {
                    assertThat(times[i]).isEqualTo(NOT_RECEIVED);
                    continue;
                }
                long expected = Math.floorDiv(arrivals[i], 250) * 250;
                if (shift == Long.MIN_VALUE) {
                    shift = expected - times[i];
                    assertThat(Math.floorMod(shift, wrapPeriod)).as("only the 24-bit wrap").isZero();
                }
                assertThat(times[i] + shift).isEqualTo(expected);
            }
        }
    }

    @Test
    void writeRefusesGapsBeyondSixteenBitsAndSmallBuffers() {
        long[] gap = {0, 8_191_750};
        byte[] out = new byte[64];
        assertThat(TransportFeedback.write(out, 0, 1, 2, 0, 0, gap, 2)).isPositive();
        gap[1] = 8_192_000;
        assertThat(TransportFeedback.write(out, 0, 1, 2, 0, 0, gap, 2)).isEqualTo(-1);
        long[] backwards = {8_192_000, 0};
        assertThat(TransportFeedback.write(out, 0, 1, 2, 0, 0, backwards, 2)).as("-8192 ms fits").isPositive();
        backwards[0] = 8_192_250 + 64_000;
        assertThat(TransportFeedback.write(out, 0, 1, 2, 0, 0, backwards, 2)).isEqualTo(-1);

        long[] some = {1, 2, 3, NOT_RECEIVED, 5};
        int needed = TransportFeedback.write(out, 0, 1, 2, 0, 0, some, some.length);
        for (int size = 0; size < needed; size++) {
            assertThat(TransportFeedback.write(new byte[size], 0, 1, 2, 0, 0, some, some.length)).isEqualTo(-1);
        }
        assertThat(TransportFeedback.write(new byte[needed + 3], 3, 1, 2, 0, 0, some, some.length)).isEqualTo(needed);
        assertThatThrownBy(() -> TransportFeedback.write(out, 0, 1, 2, 0, 0, some, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportFeedback.write(out, 0, 1, 2, 0, 0, some, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCompoundIteratorAndFeedbackPacketSeeWrittenFeedback() {
        long[] t = {5_000, NOT_RECEIVED, 6_000};
        byte[] out = new byte[64];
        int len = TransportFeedback.write(out, 0, 1, 2, 10, 0, t, t.length);
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        it.reset(out, 0, len);
        assertThat(it.next()).isTrue();
        FeedbackPacket packet = new FeedbackPacket();
        assertThat(packet.wrap(out, it.offset(), it.length())).isTrue();
        assertThat(packet.isTransportCc()).isTrue();
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(RtcpCompoundIterator.Status.END);
    }
}
