package dev.parley.cluster;

import java.time.Duration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** {@link SharedState} of several nodes: Redis strings under the deployment's namespace ({@code SET NX EX}). */
public final class RedisSharedState implements SharedState {

    private final StringRedisTemplate redis;
    private final String prefix;

    public RedisSharedState(StringRedisTemplate redis, String namespace) {
        this.redis = redis;
        this.prefix = namespace + ":state:";
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        Boolean stored = ttl == null ? redis.opsForValue().setIfAbsent(prefix + key, value)
                : redis.opsForValue().setIfAbsent(prefix + key, value, ttl);
        return Boolean.TRUE.equals(stored);
    }

    @Override
    public String get(String key) {
        return redis.opsForValue().get(prefix + key);
    }

    @Override
    public boolean isShared() {
        return true;
    }
}
