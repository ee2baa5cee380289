package dev.parley.relay;

import java.util.Random;

/**
 * The SSRCs of the relay's own streams, none twice in the loop's life, without keeping those handed out: a keyed
 * permutation of a counter (four Feistel rounds over its two 16-bit halves), so that 2^32 - 1 come before any repeats,
 * in an order that does not show the counter. Written by hand because no library offers a 32-bit keyed permutation;
 * the set of every SSRC handed out, which this replaces, grew by three or four with every session (and with every
 * network check) for as long as the node ran.
 */
final class SsrcSequence {

    private final int[] keys = new int[4];
    private int counter;

    SsrcSequence(Random random) {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt();
        }
        counter = random.nextInt();
    }

    /** The next SSRC: never 0, never one this sequence gave before (until 2^32 - 1 have been given). */
    int next() {
        int ssrc;
        do {
            ssrc = permute(counter++);
        } while (ssrc == 0);
        return ssrc;
    }

    int permute(int value) {
        int left = value >>> 16;
        int right = value & 0xFFFF;
        for (int key : keys) {
            int mixed = (right ^ key) * 0x9E3779B1;
            int next = left ^ ((mixed ^ (mixed >>> 15)) & 0xFFFF);
            left = right;
            right = next;
        }
        return (left << 16) | right;
    }
}
