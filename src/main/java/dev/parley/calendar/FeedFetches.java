package dev.parley.calendar;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * How often one feed may be fetched: a burst of 30, then 3 a minute, plenty for a few devices and a calendar
 * service refreshing it, but not for a loop. Counted per feed, not per client address: calendar services fetch
 * everyone's feeds from a few shared addresses. Unknown tokens are not counted at all (they cost one indexed lookup,
 * and calendar apps keep asking for a replaced address for ever); a 256-bit token is not guessed by trying.
 */
@Component
class FeedFetches {

    static final int BURST = 30;
    static final Duration REFILL_PERIOD = Duration.ofMinutes(10);
    /** There is a feed per host at most; past this many allowances all are forgotten (and start full again). */
    private static final int CAPACITY = 10_000;

    private final ConcurrentHashMap<Long, Bucket> allowances = new ConcurrentHashMap<>();

    /** Takes one fetch from the feed's allowance; when it is spent, how long until the next one. */
    Optional<Duration> refusal(long feedId) {
        if (allowances.size() >= CAPACITY && !allowances.containsKey(feedId)) {
            allowances.clear();
        }
        Bucket bucket = allowances.computeIfAbsent(feedId, id -> Bucket.builder()
                .addLimit(limit -> limit.capacity(BURST).refillGreedy(BURST, REFILL_PERIOD)).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty()
                : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
