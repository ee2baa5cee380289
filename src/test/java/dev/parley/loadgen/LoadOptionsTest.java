package dev.parley.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
        assertThat(o.nodes()).isEqualTo(1);
        assertThat(o.peoplePerNode()).isNull();
        assertThat(o.fromClasspath()).isFalse();
    }

    @Test
    void startsSeveralNodesWithPeoplePerNodeGivenOrTheLargestRoomSpreadOverThem() {
        LoadOptions o = LoadOptions.parse("--scenario=custom", "--participants=6", "--nodes=2");
        assertThat(o.nodes()).isEqualTo(2);
        assertThat(LoadGenerator.peoplePerNode(o, Scenario.of(o))).isEqualTo(3);
        LoadOptions seven = LoadOptions.parse("--scenario=custom", "--participants=7", "--nodes=3");
        assertThat(LoadGenerator.peoplePerNode(seven, Scenario.of(seven))).isEqualTo(3);
        LoadOptions given = LoadOptions.parse("--scenario=custom", "--participants=7", "--nodes=3",
                "--people-per-node=5", "--from-classpath");
        assertThat(given.peoplePerNode()).isEqualTo(5);
        assertThat(given.fromClasspath()).isTrue();
        assertThat(LoadGenerator.peoplePerNode(given, Scenario.of(given))).isEqualTo(5);
        LoadOptions capacity = LoadOptions.parse("--scenario=capacity", "--capacity-room-size=8", "--nodes=3");
        assertThat(LoadGenerator.peoplePerNode(capacity, null)).isEqualTo(3);
        assertThat(LoadGenerator.peoplePerNode(LoadOptions.parse("--nodes=5"), Scenario.of(LoadOptions.parse())))
                .isEqualTo(2);
        assertThat(LoadTarget.nodeLog(Path.of("target", "loadgen", "parley-server.log"), 2))
                .isEqualTo(Path.of("target", "loadgen", "parley-server-node-2.log"));
        assertThat(LoadOptions.HELP).contains("--nodes=1", "--people-per-node=K", "webinar");
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
        assertThat(o.serverMemoryLimit()).as("no limit unless asked").isNull();
    }

    @Test
    void readsAMemoryLimitInBinaryUnits() {
        assertThat(LoadOptions.parse("--server-memory-limit=768m").serverMemoryLimit()).isEqualTo(768L << 20);
        assertThat(LoadOptions.parse("--server-memory-limit=1G").serverMemoryLimit()).isEqualTo(1L << 30);
        assertThat(LoadOptions.parse("--server-memory-limit=65536k").serverMemoryLimit()).isEqualTo(64L << 20);
        assertThat(LoadOptions.parse("--server-memory-limit=67108864").serverMemoryLimit()).isEqualTo(64L << 20);
        assertThatThrownBy(() -> LoadOptions.parse("--server-memory-limit=63m")).hasMessageContaining("at least 64m");
        assertThatThrownBy(() -> LoadOptions.parse("--server-memory-limit=lots")).hasMessageContaining("768m or 1g");
        assertThatThrownBy(() -> LoadOptions.parse("--server-memory-limit=-1g")).hasMessageContaining("at least 64m");
        assertThatThrownBy(() -> LoadOptions.parse("--server-memory-limit=99999999999999g"))
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> LoadOptions.parse("--server=http://127.0.0.1:8080", "--admin-email=a",
                "--admin-password=b", "--server-memory-limit=1g")).hasMessageContaining("cannot be used with --server");
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
        assertThatThrownBy(() -> LoadOptions.parse("--nodes=0")).hasMessageContaining("--nodes must be 1..5");
        assertThatThrownBy(() -> LoadOptions.parse("--nodes=6")).hasMessageContaining("--nodes must be 1..5");
        assertThatThrownBy(() -> LoadOptions.parse("--nodes=two")).hasMessageContaining("--nodes must be a whole");
        assertThatThrownBy(() -> LoadOptions.parse("--server=http://127.0.0.1:8080", "--admin-email=a",
                "--admin-password=b", "--nodes=2")).hasMessageContaining("--nodes")
                .hasMessageContaining("cannot be used with --server");
        assertThatThrownBy(() -> LoadOptions.parse("--server=http://127.0.0.1:8080", "--admin-email=a",
                "--admin-password=b", "--nodes=1")).hasMessageContaining("cannot be used with --server");
        assertThatThrownBy(() -> LoadOptions.parse("--server=http://127.0.0.1:8080", "--admin-email=a",
                "--admin-password=b", "--from-classpath")).hasMessageContaining("--from-classpath");
        assertThatThrownBy(() -> LoadOptions.parse("--people-per-node=3"))
                .hasMessageContaining("--people-per-node needs --nodes=2");
        assertThatThrownBy(() -> LoadOptions.parse("--nodes=2", "--people-per-node=0"))
                .hasMessageContaining("--people-per-node must be 1..");
    }

    @Test
    void roomsLargerThanTheRoomFormsLimitAreClampedAndSaySo() {
        Scenario large = Scenario.of(LoadOptions.parse("--scenario=large"));
        assertThat(large.rooms()).containsExactly(new Scenario.RoomPlan(2, 100));
        assertThat(large.notes()).isEmpty();

        Scenario huge = Scenario.of(LoadOptions.parse("--scenario=custom", "--rooms=1",
                "--participants=" + (Scenario.ROOM_LIMIT + 50), "--publishers=2"));
        assertThat(huge.rooms()).containsExactly(new Scenario.RoomPlan(2, Scenario.ROOM_LIMIT - 2));
        assertThat(huge.notes()).singleElement().asString().contains("at most " + Scenario.ROOM_LIMIT);

        Scenario webinar = Scenario.of(LoadOptions.parse("--scenario=webinar"));
        int webinarSize = Math.min(300, Scenario.ROOM_LIMIT);
        assertThat(webinar.rooms()).containsExactly(new Scenario.RoomPlan(2, webinarSize - 2));
        assertThat(webinar.largestRoom()).isEqualTo(webinarSize);

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
