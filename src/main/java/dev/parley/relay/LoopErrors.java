package dev.parley.relay;

import dev.parley.relay.util.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unexpected errors in the relay's loop, logged at most 10 a minute (a burst of 10), so a fault hit by every packet
 * cannot flood the log, and one that comes back later is still seen.
 */
final class LoopErrors {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    private final TokenBucket budget = new TokenBucket(10, 10 / 60.0, System.nanoTime());

    void log(String what, Throwable e) {
        boolean logIt;
        synchronized (budget) { // also called from the relay-events thread; errors are rare, so a lock is fine
            logIt = budget.tryTake(System.nanoTime());
        }
        if (logIt) {
            log.warn("Error in {} (the relay carries on): {}", what, e.toString(), e);
        }
    }
}
