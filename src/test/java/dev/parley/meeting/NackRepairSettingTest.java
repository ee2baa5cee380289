package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.RelayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** PARLEY_MEDIA_NACK_REPAIR reaches the relay's configuration; repair is on unless it is turned off. */
class NackRepairSettingTest {

    private static RelayConfig configFrom(Map<String, Object> environment) throws Exception {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", environment));
        MediaProperties properties = new Binder(ConfigurationPropertySources.get(spring))
                .bindOrCreate("parley.media", MediaProperties.class);
        return RelayConfiguration.toConfig(properties);
    }

    @Test
    void onByDefault() throws Exception {
        assertThat(configFrom(Map.of()).nackRepair()).isTrue();
        assertThat(RelayConfig.loopback().nackRepair()).isTrue();
    }

    @Test
    void theEnvironmentVariableTurnsItOff() throws Exception {
        assertThat(configFrom(Map.of("PARLEY_MEDIA_NACK_REPAIR", "false")).nackRepair()).isFalse();
        assertThat(RelayConfig.loopback().withNackRepair(false).nackRepair()).isFalse();
    }
}
