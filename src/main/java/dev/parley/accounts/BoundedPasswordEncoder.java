package dev.parley.accounts;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Lets only a few password hashes run at once. An Argon2 hash holds its whole memory cost on the heap while it runs
 * (19 MiB by default), and every web thread may be checking a password: a burst of sign-ins, wrong ones included, from
 * many addresses would take gigabytes and end in an OutOfMemoryError anywhere in the process, the relay included.
 * Callers beyond the bound wait their turn in order, for a while, then get {@link PasswordHashingBusy}; beyond
 * {@link #WAITING_PER_HASH} waiting for each hash that may run, they get it at once, so that waiting checks do not hold
 * every web thread. More hashes at once than cores would not finish sooner anyway.
 */
public final class BoundedPasswordEncoder implements PasswordEncoder {

    /** The share of the heap that hashes may hold at once. */
    private static final int HEAP_SHARE_DIVISOR = 8;
    /** Checks that may wait for each one running: about half a second's worth at the default cost. */
    static final int WAITING_PER_HASH = 8;

    private final PasswordEncoder hashes;
    private final Semaphore permits;
    private final Duration patience;
    private final int bound;

    public BoundedPasswordEncoder(PasswordEncoder hashes, int bound, Duration patience) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be at least 1, got " + bound);
        }
        this.hashes = hashes;
        this.bound = bound;
        this.permits = new Semaphore(bound, true);
        this.patience = patience;
    }

    /**
     * As many hashes of this memory cost as fit in an eighth of the heap, at least one, and at most two for each core.
     */
    public static int boundFor(long maxHeapBytes, int memoryKib, int processors) {
        long fit = maxHeapBytes / HEAP_SHARE_DIVISOR / (memoryKib * 1024L);
        return (int) Math.max(1, Math.min(fit, 2L * Math.max(1, processors)));
    }

    public int bound() {
        return bound;
    }

    /** How many wait for their turn now (an estimate). */
    int waiting() {
        return permits.getQueueLength();
    }

    @Override
    public String encode(CharSequence rawPassword) {
        acquire();
        try {
            return hashes.encode(rawPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        acquire();
        try {
            return hashes.matches(rawPassword, encodedPassword);
        } finally {
            permits.release();
        }
    }

    /** Reads the stored hash's parameters only; hashes nothing. */
    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return hashes.upgradeEncoding(encodedPassword);
    }

    private void acquire() {
        if (permits.getQueueLength() >= WAITING_PER_HASH * bound) { // an estimate, which is enough for a bound
            throw new PasswordHashingBusy();
        }
        try {
            if (!permits.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new PasswordHashingBusy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PasswordHashingBusy();
        }
    }
}
