package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The relay's own SSRCs: a permutation of a counter, so none repeats and none is 0, with no record kept. */
class SsrcSequenceTest {

    @Test
    void threeMillionInARowAreDistinctAndNeverZero() {
        SsrcSequence sequence = new SsrcSequence(new SecureRandom());
        int[] given = new int[3_000_000];
        for (int i = 0; i < given.length; i++) {
            given[i] = sequence.next();
        }
        assertThat(given).doesNotContain(0);
        int[] sorted = given.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            assertThat(sorted[i]).as("no repeat").isNotEqualTo(sorted[i - 1]);
        }
        assertThat(Arrays.copyOf(given, 5)).as("not the counter itself").isNotEqualTo(
                new int[] {given[0], given[0] + 1, given[0] + 2, given[0] + 3, given[0] + 4});
    }

    @Test
    void twoLoopsGiveDifferentSequences() {
        int[] a = new int[8];
        int[] b = new int[8];
        SsrcSequence one = new SsrcSequence(new SecureRandom());
        SsrcSequence two = new SsrcSequence(new SecureRandom());
        for (int i = 0; i < a.length; i++) {
            a[i] = one.next();
            b[i] = two.next();
        }
        assertThat(a).isNotEqualTo(b);
    }
}
