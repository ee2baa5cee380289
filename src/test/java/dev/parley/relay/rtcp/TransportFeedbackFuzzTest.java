package dev.parley.relay.rtcp;

import static dev.parley.testing.FuzzChecks.between;
import static dev.parley.testing.FuzzChecks.check;
import static dev.parley.testing.FuzzChecks.equal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.testing.ByteMutations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random and mutated transport-wide feedback: {@link TransportFeedback#wrap} refuses or reads without throwing, and
 * what it reads survives writing and reading again.
 *
 * <p>{@link #parse} is the coverage-guided (Jazzer) target; its seeds are in
 * {@code src/test/resources/dev/parley/relay/rtcp/TransportFeedbackFuzzTestInputs/parse}. See docs/fuzzing.md.
 */
class TransportFeedbackFuzzTest {

    private static final long WRAP_PERIOD_MICROS = (1L << 24) * TransportFeedback.REFERENCE_TIME_TICK_MICROS;

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private final TransportFeedback feedback = new TransportFeedback();
    private final TransportFeedback again = new TransportFeedback();
    private final int[] seqs = new int[TransportFeedback.MAX_STATUS_COUNT];
    private final long[] times = new long[TransportFeedback.MAX_STATUS_COUNT];
    private final int[] seqsAgain = new int[TransportFeedback.MAX_STATUS_COUNT];
    private final long[] timesAgain = new long[TransportFeedback.MAX_STATUS_COUNT];
    private final byte[] out = new byte[RtcpHeader.MAX_SIZE];

    @Test
    void neverThrowsAndRoundTrips() {
        byte[][] seeds = seeds();
        SplittableRandom random = mutations.seed(15);
        int read = 0;
        for (int i = 0; i < 100_000; i++) {
            mutations.iteration(i);
            byte[] b = mutations.mutate(seeds[random.nextInt(seeds.length)], 5, 8);
            if (readAndRewrite(b)) {
                read++;
            }
        }
        assertThat(read).as("enough mutations still read").isGreaterThan(10_000);
    }

    /**
     * Either {@code wrap} refuses, or: received and not received statuses add up to the count, {@code packets}
     * decodes exactly the count with consecutive sequence numbers and as many receive times as received statuses, and
     * writing those statuses back reads as the same statuses (times equal up to the 24-bit reference time's wrap).
     */
    @FuzzTest
    void parse(byte[] input) {
        readAndRewrite(input);
    }

    private boolean readAndRewrite(byte[] b) {
        if (!feedback.wrap(b, 0, b.length)) {
            return false;
        }
        int count = feedback.packetStatusCount();
        between(count, 1, TransportFeedback.MAX_STATUS_COUNT, "status count");
        equal(feedback.receivedCount() + feedback.notReceivedCount(), count, "received + not received");
        equal(feedback.packets(seqs, times, 0), count, "decoded statuses");
        int received = 0;
        for (int i = 0; i < count; i++) {
            equal(seqs[i], (feedback.baseSequenceNumber() + i) & 0xFFFF, "sequence number");
            if (times[i] != TransportFeedback.NOT_RECEIVED) {
                received++;
            }
        }
        equal(received, feedback.receivedCount(), "receive times");
        int len = TransportFeedback.write(out, 0, feedback.senderSsrc(), feedback.mediaSsrc(),
                feedback.baseSequenceNumber(), feedback.feedbackPacketCount(), times, count);
        check(len > 0, "rewriting fails");
        check(again.wrap(out, 0, len), "rewritten feedback wraps");
        equal(again.baseSequenceNumber(), feedback.baseSequenceNumber(), "base sequence number");
        equal(again.packetStatusCount(), count, "status count");
        equal(again.feedbackPacketCount(), feedback.feedbackPacketCount(), "feedback packet count");
        equal(again.receivedCount(), feedback.receivedCount(), "received count");
        equal(again.packets(seqsAgain, timesAgain, 0), count, "rewritten statuses");
        for (int i = 0; i < count; i++) {
            if (times[i] == TransportFeedback.NOT_RECEIVED) {
                equal(timesAgain[i], TransportFeedback.NOT_RECEIVED, "not received stays not received");
            } else {
                equal(Math.floorMod(timesAgain[i] - times[i], WRAP_PERIOD_MICROS), 0, "receive time");
            }
        }
        return true;
    }

    private static byte[][] seeds() {
        byte[][] seeds = new byte[TransportFeedbackSamples.CHROME.length + 4][];
        for (int i = 0; i < TransportFeedbackSamples.CHROME.length; i++) {
            seeds[i] = TransportFeedbackSamples.CHROME[i].bytes();
        }
        int n = TransportFeedbackSamples.CHROME.length;
        seeds[n] = TransportFeedbackSamples.ONE_BIT_VECTOR;
        seeds[n + 1] = TransportFeedbackSamples.PION_MIXED;
        seeds[n + 2] = TransportFeedbackSamples.WIRESHARK_CAPTURE;
        seeds[n + 3] = TransportFeedbackSamples.PION_PADDING_ZERO;
        return seeds;
    }
}
