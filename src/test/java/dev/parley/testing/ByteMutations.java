package dev.parley.testing;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The hand-written fuzz loops' random inputs: a {@link SplittableRandom} on a fixed seed, so every run tries the same
 * inputs, and a failure that names the seed and the iteration it happened in, so it can be replayed. Register it on
 * the test class and number the loop's iterations:
 *
 * <pre>
 * &#64;RegisterExtension
 * final ByteMutations mutations = new ByteMutations();
 *
 * SplittableRandom random = mutations.seed(5769);
 * for (int i = 0; i &lt; 200_000; i++) {
 *     mutations.iteration(i);
 *     byte[] input = mutations.mutate(SAMPLE, 8, 8);
 *     ...
 * }
 * </pre>
 */
public final class ByteMutations implements TestExecutionExceptionHandler {

    private SplittableRandom random;
    private long seed;
    private long iteration = -1;

    /** Starts a loop on this seed; its random numbers come from the returned generator. */
    public SplittableRandom seed(long value) {
        seed = value;
        iteration = -1;
        random = new SplittableRandom(value);
        return random;
    }

    /** Marks the start of an iteration, for the failure message. */
    public void iteration(long value) {
        iteration = value;
    }

    /**
     * A copy of {@code sample} with one to three bytes changed (a bit flipped, set at random, or zeroed), and one time
     * in {@code cutOneIn} cut, or padded with zeros, to a random length below {@code sample.length + slack}.
     */
    public byte[] mutate(byte[] sample, int cutOneIn, int slack) {
        byte[] b = sample.clone();
        int changes = random.nextInt(1, 4);
        for (int c = 0; c < changes; c++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(3)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                default -> b[at] = 0;
            }
        }
        if (random.nextInt(cutOneIn) == 0) {
            b = Arrays.copyOf(b, random.nextInt(b.length + slack));
        }
        return b;
    }

    /** Adds the seed and the iteration to a failure of a test that started a loop; others pass through as they are. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (random == null) {
            throw failure;
        }
        String where = iteration < 0 ? "before its first iteration" : "in or after iteration " + iteration;
        throw new AssertionError(String.format("fuzz loop with seed %d (0x%x) failed %s: %s", seed, seed, where,
                failure), failure);
    }
}
