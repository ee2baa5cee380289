package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerDefaultsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(ParleyApplication.LEAK_DETECTION);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(ParleyApplication.LEAK_DETECTION);
        } else {
            System.setProperty(ParleyApplication.LEAK_DETECTION, before);
        }
    }

    @Test
    void theServerRunsWithoutNettysLeakTracking() {
        System.clearProperty(ParleyApplication.LEAK_DETECTION);

        ParleyApplication.serverDefaults();

        assertThat(System.getProperty(ParleyApplication.LEAK_DETECTION)).isEqualTo("disabled");
    }

    @Test
    void anOperatorsLeakTrackingSettingIsKept() {
        System.setProperty(ParleyApplication.LEAK_DETECTION, "paranoid");

        ParleyApplication.serverDefaults();

        assertThat(System.getProperty(ParleyApplication.LEAK_DETECTION)).isEqualTo("paranoid");
    }
}
