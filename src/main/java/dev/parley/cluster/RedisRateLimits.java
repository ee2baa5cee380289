package dev.parley.cluster;

import dev.parley.common.RateLimits;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link RateLimits} of every node together: bucket4j's buckets in Redis (compare-and-swap through its own Lettuce
 * client), each forgotten once it would be full again.
 */
final class RedisRateLimits implements RateLimits, AutoCloseable {

    private final RedisClient client;
    private final LettuceBasedProxyManager<byte[]> buckets;
    private final String prefix;

    RedisRateLimits(String url, String namespace) {
        this.client = RedisClient.create(url);
        this.buckets = Bucket4jLettuce.casBasedBuilder(client)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .build();
        this.prefix = namespace + ":rate:";
    }

    @Override
    public Optional<Duration> take(String key, int perMinute) {
        byte[] name = (prefix + key).getBytes(StandardCharsets.UTF_8);
        return RateLimits.refusal(buckets.getProxy(name, () -> RateLimits.perMinute(perMinute))
                .tryConsumeAndReturnRemaining(1));
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
