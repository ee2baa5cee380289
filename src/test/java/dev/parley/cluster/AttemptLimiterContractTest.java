package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.AttemptLimiter;
import dev.parley.common.MemoryAttemptLimiter;
import dev.parley.testing.RedisSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One node's limiter (in memory) and every node's (in Redis) keep the same rules: blocked after the limit within the
 * window, not before; a block's end; back-off doubling; a success or an admin's unlock forgetting keys, and only
 * those that start with the prefix given (glob characters in it taken literally).
 */
@ExtendWith(RedisSupport.class)
class AttemptLimiterContractTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Duration BLOCK = Duration.ofMinutes(1);
    private static LettuceConnectionFactory redis;
    private static final String NAMESPACE = "parley-test-" + UUID.randomUUID() + ":attempts:";

    @BeforeAll
    static void connect() {
        redis = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(RedisSupport.url()));
        redis.afterPropertiesSet();
        redis.start();
    }

    @AfterAll
    static void disconnect() {
        redis.destroy();
    }

    private static Supplier<AttemptLimiter> limiter(String kind, boolean backOff) {
        return () -> kind.equals("memory") ? new MemoryAttemptLimiter(3, WINDOW, BLOCK, backOff, 1000)
                : new RedisAttemptLimiter(new StringRedisTemplate(redis), NAMESPACE + UUID.randomUUID() + ":", 3,
                        WINDOW, BLOCK, backOff);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void theLimitWithinTheWindowBlocksForAWhile(String kind) {
        AttemptLimiter limits = limiter(kind, false).get();
        assertThat(limits.recordFailure("a", T0)).isEmpty();
        assertThat(limits.recordFailure("a", T0.plusSeconds(1))).isEmpty();
        assertThat(limits.blockedUntil("a", T0.plusSeconds(1))).isEmpty();
        assertThat(limits.recordFailure("a", T0.plusSeconds(2))).contains(T0.plusSeconds(2).plus(BLOCK));
        assertThat(limits.blockedUntil("a", T0.plusSeconds(3))).contains(T0.plusSeconds(2).plus(BLOCK));
        assertThat(limits.blockedUntil("b", T0.plusSeconds(3))).as("other keys are free").isEmpty();
        assertThat(limits.blockedUntil("a", T0.plusSeconds(2).plus(BLOCK))).as("over at its end").isEmpty();

        assertThat(limits.recordFailure("c", T0)).isEmpty();
        assertThat(limits.recordFailure("c", T0.plusSeconds(1))).isEmpty();
        assertThat(limits.recordFailure("c", T0.plus(WINDOW).plusSeconds(1)))
                .as("the window started anew: one failure in it").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void withBackOffEachBlockLastsTwiceTheOneBefore(String kind) {
        AttemptLimiter limits = limiter(kind, true).get();
        Instant now = T0;
        Duration expected = BLOCK;
        for (int block = 1; block <= 3; block++) {
            limits.recordFailure("k", now);
            limits.recordFailure("k", now);
            assertThat(limits.recordFailure("k", now)).as("block %d", block).contains(now.plus(expected));
            assertThat(limits.recordFailure("k", now.plusSeconds(1))).as("blocked: not counted").isEmpty();
            now = now.plus(expected);
            expected = expected.multipliedBy(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aResetForgetsTheKeyAndAPrefixOnlyTheKeysItStarts(String kind) {
        AttemptLimiter limits = limiter(kind, false).get();
        for (String key : new String[] {"ada@x\n10.0.0.1", "ada@x\n10.0.0.2", "ad*\n10.0.0.1", "grace@x\n10.0.0.1"}) {
            for (int i = 0; i < 3; i++) {
                limits.recordFailure(key, T0);
            }
            assertThat(limits.blockedUntil(key, T0)).as(key).isPresent();
        }
        limits.resetPrefix("ad*");
        assertThat(limits.blockedUntil("ad*\n10.0.0.1", T0)).isEmpty();
        assertThat(limits.blockedUntil("ada@x\n10.0.0.1", T0)).as("a glob character is itself").isPresent();
        limits.resetPrefix("ada@x\n");
        assertThat(limits.blockedUntil("ada@x\n10.0.0.1", T0)).isEmpty();
        assertThat(limits.blockedUntil("ada@x\n10.0.0.2", T0)).isEmpty();
        assertThat(limits.blockedUntil("grace@x\n10.0.0.1", T0)).isPresent();
        limits.reset("grace@x\n10.0.0.1");
        assertThat(limits.blockedUntil("grace@x\n10.0.0.1", T0)).isEmpty();
    }
}
