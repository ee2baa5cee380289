package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.RedisSupport;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two nodes' rate limits on one Redis draw on one allowance per key: what one node took, the other cannot. */
@ExtendWith(RedisSupport.class)
class RedisRateLimitsTest {

    @Test
    void twoNodesShareOneAllowance() {
        String namespace = "parley-test-" + UUID.randomUUID();
        try (RedisRateLimits a = new RedisRateLimits(RedisSupport.url(), namespace);
             RedisRateLimits b = new RedisRateLimits(RedisSupport.url(), namespace)) {
            assertThat(a.take("api-token:1", 3)).isEmpty();
            assertThat(b.take("api-token:1", 3)).isEmpty();
            assertThat(a.take("api-token:1", 3)).isEmpty();
            assertThat(b.take("api-token:1", 3)).as("three a minute, spent on two nodes").hasValueSatisfying(
                    wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20)));
            assertThat(a.take("api-token:2", 3)).as("another token has its own").isEmpty();
        }
    }
}
