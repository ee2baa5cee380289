package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The node's URL as the others use it: PARLEY_NODE_URL as given, without the slashes that would double paths. */
class NodeRegistryTest {

    private final StaticListableBeanFactory none = new StaticListableBeanFactory();

    private NodeRegistry registry(String nodeUrl) {
        return new NodeRegistry(none.getBeanProvider(StringRedisTemplate.class), none.getBeanProvider(NodeStatus.class),
                Clock.systemUTC(), "test", nodeUrl, "127.0.0.1", 8080, "off", 8443);
    }

    @Test
    void aGivenNodeUrlLosesItsTrailingSlashes() {
        assertThat(registry(" http://10.0.0.6:8080/ ").url()).isEqualTo("http://10.0.0.6:8080");
        assertThat(registry("https://node-2.example.org//").url()).isEqualTo("https://node-2.example.org");
        assertThat(registry("https://meet.example.org/parley").url()).isEqualTo("https://meet.example.org/parley");
    }

    @Test
    void withoutOneTheNodeIsReachedAtItsOwnAddressAndPort() {
        assertThat(registry("").url()).isEqualTo("http://127.0.0.1:8080");
    }
}
