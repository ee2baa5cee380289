package dev.parley.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are delivered (environment: PARLEY_WEBHOOKS_*). The defaults make 6 attempts over about an hour: at
 * once, then after 2, 4, 8, 16 and 32 minutes.
 *
 * @param maxAttempts attempts per delivery, the first included, before it is given up
 * @param firstRetry the wait before the second attempt; each later wait is {@code backoffMultiplier} times the last
 * @param backoffMultiplier how much longer each wait is than the one before
 * @param connectTimeout how long to wait for the receiver's TCP (and TLS) connection
 * @param readTimeout how long to wait for the receiver's response after the connection
 * @param concurrency deliveries sent at the same time at most
 * @param queueCapacity events waiting to be written down as deliveries at most; beyond it events are dropped (logged)
 * @param pollInterval how often the outstanding deliveries are looked for (new events are sent at once)
 * @param logRetention how long deliveries and the delivery log are kept
 */
@ConfigurationProperties(prefix = "parley.webhooks")
public record WebhookProperties(@DefaultValue("6") int maxAttempts,
                                @DefaultValue("2m") Duration firstRetry,
                                @DefaultValue("2") int backoffMultiplier,
                                @DefaultValue("5s") Duration connectTimeout,
                                @DefaultValue("10s") Duration readTimeout,
                                @DefaultValue("4") int concurrency,
                                @DefaultValue("1000") int queueCapacity,
                                @DefaultValue("5s") Duration pollInterval,
                                @DefaultValue("14d") Duration logRetention) {

    @ConstructorBinding
    public WebhookProperties {
        require(maxAttempts >= 1 && maxAttempts <= 20, "max-attempts must be from 1 to 20");
        require(positive(firstRetry), "first-retry must be positive");
        require(backoffMultiplier >= 1 && backoffMultiplier <= 10, "backoff-multiplier must be from 1 to 10");
        require(positive(connectTimeout), "connect-timeout must be positive");
        require(positive(readTimeout), "read-timeout must be positive");
        require(concurrency >= 1 && concurrency <= 64, "concurrency must be from 1 to 64");
        require(queueCapacity >= 1 && queueCapacity <= 100_000, "queue-capacity must be from 1 to 100000");
        require(positive(pollInterval), "poll-interval must be positive");
        require(logRetention.compareTo(Duration.ofDays(1)) >= 0 && logRetention.compareTo(Duration.ofDays(365)) <= 0,
                "log-retention must be from 1 to 365 days");
    }

    /**
     * The wait after the given number of failed attempts (1: after the first), at most the log's retention: a
     * delivery is pruned with the log, so a longer wait would never end in an attempt. (Uncapped, 2 minutes times 10
     * for each of 20 attempts outgrew any instant's range: the outcome could not be written down, and the same
     * message was sent again and again.)
     */
    Duration delayAfter(int failedAttempts) {
        Duration delay = firstRetry;
        for (int i = 1; i < failedAttempts && delay.compareTo(logRetention) < 0; i++) {
            delay = delay.multipliedBy(backoffMultiplier);
        }
        return delay.compareTo(logRetention) > 0 ? logRetention : delay;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("parley.webhooks." + message);
        }
    }
}
