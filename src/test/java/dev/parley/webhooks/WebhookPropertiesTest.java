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
    void retriesThatWouldOutlastTheLogAreRefusedAtStart() {
        // 2 min × 10^k for 19 waits: the 16th alone is out of an instant's range. Such a delivery failed to record
        // its outcome and was sent again and again.
        assertThatThrownBy(() -> bind(Map.of("parley.webhooks.backoff-multiplier", "10",
                "parley.webhooks.max-attempts", "20"))).isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("outlast log-retention (14 days)");
        assertThatThrownBy(() -> bind(Map.of("parley.webhooks.first-retry", "15d")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("outlast log-retention");
        WebhookProperties longest = bind(Map.of("parley.webhooks.backoff-multiplier", "10",
                "parley.webhooks.max-attempts", "6", "parley.webhooks.log-retention", "365d"));
        assertThat(longest.delayAfter(5)).as("2 min × 10^4, within a year").isEqualTo(Duration.ofMinutes(20_000));
    }

    private static WebhookProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("parley.webhooks", WebhookProperties.class);
    }
}
