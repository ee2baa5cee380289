package dev.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The delivery settings as the environment gives them: the retry schedule, and what is refused at start. */
class WebhookPropertiesTest {

    @Test
    void byDefaultSixAttemptsOverAboutAnHour() {
        WebhookProperties defaults = bind(Map.of());
        assertThat(defaults.maxAttempts()).isEqualTo(6);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(defaults::delayAfter))
                .containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                        Duration.ofMinutes(16), Duration.ofMinutes(32));
    }

    @Test
    void noWaitOutlastsTheLogWhichPrunesItsDelivery() {
        // 2 min × 10^k for 19 waits: uncapped, the 16th alone was out of an instant's range, and such a delivery
        // failed to record its outcome and was sent again and again.
        WebhookProperties steep = bind(Map.of("parley.webhooks.backoff-multiplier", "10",
                "parley.webhooks.max-attempts", "20"));
        assertThat(steep.delayAfter(5)).isEqualTo(Duration.ofMinutes(20_000));
        assertThat(steep.delayAfter(6)).as("200,000 min, beyond the 14 days of the log").isEqualTo(Duration.ofDays(14));
        assertThat(steep.delayAfter(19)).isEqualTo(Duration.ofDays(14));
        assertThat(java.time.Instant.now().plus(steep.delayAfter(19))).as("an instant can hold it").isNotNull();
        assertThat(bind(Map.of("parley.webhooks.first-retry", "15d")).delayAfter(1)).isEqualTo(Duration.ofDays(14));
        assertThatThrownBy(() -> bind(Map.of("parley.webhooks.backoff-multiplier", "11")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("backoff-multiplier");
    }

    private static WebhookProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("parley.webhooks", WebhookProperties.class);
    }
}
