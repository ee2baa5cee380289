package dev.parley.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsAreTheTenPersonRoomWithAWarmUpAndATwentySecondWindow() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.scenario()).isEqualTo("room10");
        assertThat(o.videoBitrate()).isEqualTo(500_000);
        assertThat(o.audioPacketsPerSecond()).isEqualTo(50);
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.server()).isNull();
        assertThat(o.p99Limit()).isEqualTo(Duration.ofMillis(20));
        assertThat(o.receiveThreads()).isEqualTo(1);
        assertThat(LoadOptions.parse("--receive-threads=0").receiveThreads()).isZero();
    }

    @Test
    void readsBitratesDurationsAndTheTarget() {
        LoadOptions o = LoadOptions.parse("--scenario=capacity", "--video-bitrate=1.5M", "--duration=500ms",
                "--warmup=2m", "--server=http://127.0.0.1:8080/", "--admin-email=a@b.c", "--admin-password=x",
                "--server-pid=42", "--no-audio", "--server-java-opts=-Xmx1g  -XX:+UseG1GC");
        assertThat(o.videoBitrate()).isEqualTo(1_500_000);
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.warmup()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.server().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(o.serverPid()).isEqualTo(42L);
        assertThat(o.audio()).isFalse();
        assertThat(o.video()).isTrue();
        assertThat(o.serverJavaOptions()).containsExactly("-Xmx1g", "-XX:+UseG1GC");
        assertThat(LoadOptions.parseBitrate("x", "500k")).isEqualTo(500_000);
        assertThat(LoadOptions.parseDuration("x", "20")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> LoadOptions.parse("--scenario=huge")).hasMessageContaining("--scenario");
        assertThatThrownBy(() -> LoadOptions.parse("--frobnicate=1")).hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> LoadOptions.parse("room10")).hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> LoadOptions.parse("--server=http://127.0.0.1:8080"))
                .hasMessageContaining("--admin-email");
        assertThatThrownBy(() -> LoadOptions.parse("--server=http://10.0.0.1:8080", "--admin-email=a",
                "--admin-password=b")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> LoadOptions.parse("--no-audio", "--no-video")).hasMessageContaining("nothing");
        assertThatThrownBy(() -> LoadOptions.parse("--duration=soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> LoadOptions.parse("--rooms=0")).hasMessageContaining("--rooms");
        assertThatThrownBy(() -> LoadOptions.parse("--receive-threads=-1")).hasMessageContaining("receive-threads");
    }

    @Test
    void roomsLargerThanTheRoomFormsLimitAreClampedAndSaySo() {
        Scenario large = Scenario.of(LoadOptions.parse("--scenario=large"));
        assertThat(large.rooms()).containsExactly(new Scenario.RoomPlan(2, 100));
        assertThat(large.notes()).isEmpty();

        Scenario huge = Scenario.of(LoadOptions.parse("--scenario=custom", "--rooms=1", "--participants=250",
                "--publishers=2"));
        assertThat(huge.rooms()).containsExactly(new Scenario.RoomPlan(2, 198));
        assertThat(huge.notes()).singleElement().asString().contains("at most 200");

        Scenario rooms = Scenario.of(LoadOptions.parse("--scenario=rooms20x4"));
        assertThat(rooms.rooms()).hasSize(20).allMatch(r -> r.publishers() == 4 && r.receivers() == 0);
        assertThat(rooms.notes()).isEmpty();

        Scenario custom = Scenario.of(LoadOptions.parse("--scenario=custom", "--rooms=3", "--participants=5",
                "--publishers=1"));
        assertThat(custom.rooms()).containsExactly(new Scenario.RoomPlan(1, 4), new Scenario.RoomPlan(1, 4),
                new Scenario.RoomPlan(1, 4));
        assertThat(custom.participants()).isEqualTo(15);
        assertThatThrownBy(() -> Scenario.of(LoadOptions.parse("--scenario=custom", "--rooms=20",
                "--participants=100"))).hasMessageContaining("at most 1000");
    }
}
