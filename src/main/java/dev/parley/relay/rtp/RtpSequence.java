package dev.parley.relay.rtp;

/** Wraparound arithmetic on 16-bit RTP sequence numbers and 32-bit RTP timestamps (RFC 3550 section 5.1). */
public final class RtpSequence {

    private RtpSequence() {
    }

    /**
     * Signed distance from {@code b} to {@code a} in the range -32768..32767: positive when {@code a} is ahead.
     * Only the low 16 bits of each argument are used.
     */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /**
     * True if {@code a} is ahead of {@code b} modulo 2^16. Exactly half-way apart (32768) the numerically larger one
     * counts as newer, so exactly one of {@code isNewer(a, b)} and {@code isNewer(b, a)} holds for distinct values.
     */
    public static boolean isNewer(int a, int b) {
        int d = (a - b) & 0xFFFF;
        if (d == 0x8000) {
            return (a & 0xFFFF) > (b & 0xFFFF);
        }
        return d != 0 && d < 0x8000;
    }

    /** The same for 32-bit timestamps (only the low 32 bits of each argument are used). */
    public static boolean isNewerTimestamp(long a, long b) {
        long d = (a - b) & 0xFFFFFFFFL;
        if (d == 0x80000000L) {
            return (a & 0xFFFFFFFFL) > (b & 0xFFFFFFFFL);
        }
        return d != 0 && d < 0x80000000L;
    }

    /**
     * Extends a 16-bit sequence number with a rollover count: returns the value congruent to {@code sequenceNumber}
     * modulo 2^16 closest to {@code reference} (typically the highest extended sequence number seen so far), so a
     * packet just after a wrap gets the next cycle and a late one from before the wrap gets the previous cycle.
     * Never returns a negative value.
     */
    public static long extend(long reference, int sequenceNumber) {
        long candidate = (reference & ~0xFFFFL) | (sequenceNumber & 0xFFFF);
        long delta = candidate - reference;
        if (delta > 0x8000) {
            candidate -= 0x10000;
        } else if (delta < -0x8000) {
            candidate += 0x10000;
        }
        return candidate < 0 ? candidate + 0x10000 : candidate;
    }
}
