package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerDefaultsTest {

    private static final List<String> NAMES = Stream.concat(Stream.of(ParleyApplication.LEAK_DETECTION),
            ParleyApplication.OLD_LEAK_DETECTION.stream()).toList();
    private final Map<String, String> before = new HashMap<>();

    @BeforeEach
    void remember() {
        for (String name : NAMES) {
            before.put(name, System.getProperty(name));
            System.clearProperty(name);
        }
    }

    @AfterEach
    void restore() {
        before.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void theServerRunsWithoutNettysLeakTracking() {
        ParleyApplication.serverDefaults();

        assertThat(System.getProperty(ParleyApplication.LEAK_DETECTION)).isEqualTo("disabled");
    }

    @Test
    void anOperatorsLeakTrackingSettingIsKept() {
        System.setProperty(ParleyApplication.LEAK_DETECTION, "paranoid");

        ParleyApplication.serverDefaults();

        assertThat(System.getProperty(ParleyApplication.LEAK_DETECTION)).isEqualTo("paranoid");
    }

    @Test
    void anOperatorsSettingUnderNettysOlderNameIsKept() {
        System.setProperty("io.netty.leakDetectionLevel", "paranoid");

        ParleyApplication.serverDefaults();

        assertThat(System.getProperty(ParleyApplication.LEAK_DETECTION)).as("left to Netty's reading of the old name")
                .isNull();
    }
}
