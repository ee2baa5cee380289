package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory cgroup the load generator runs Parley in: it caps a real process and reports what happened. */
class MemoryCgroupTest {

    @BeforeEach
    void needsCgroups() {
        assumeTrue(MemoryCgroup.isAvailable(), "needs a memory cgroup hierarchy it can write (Linux, root)");
    }

    @Test
    void aProcessWithinTheLimitRunsAndItsPeakIsKept() throws Exception {
        MemoryCgroup cgroup = MemoryCgroup.create("parley-test-within-" + ProcessHandle.current().pid(), 256L << 20);
        try (cgroup) {
            assertThat(runJvmHolding(cgroup, 96)).as("exit status").isZero();
        }

        assertThat(cgroup.exists()).as("removed").isFalse();
        assumeTrue(cgroup.peakBytes() >= 0, "the kernel keeps no peak (cgroup v2 before Linux 5.19)");
        assertThat(cgroup.peakBytes()).as("peak, kept after removal").isBetween(96L << 20, 256L << 20);
        assertThat(cgroup.oomKills()).isZero();
    }

    @Test
    void aProcessPastTheLimitIsKilledAndCounted() throws Exception {
        MemoryCgroup cgroup = MemoryCgroup.create("parley-test-past-" + ProcessHandle.current().pid(), 64L << 20);
        try (cgroup) {
            assertThat(runJvmHolding(cgroup, 256)).as("killed: 128 + SIGKILL").isEqualTo(137);
            assertThat(cgroup.oomKills()).isEqualTo(1);
        }
        assertThat(cgroup.oomKills()).as("kept after removal").isEqualTo(1);
    }

    /** A JVM started inside the cgroup that touches every page of a heap of this many MiB, then exits; its status. */
    private static int runJvmHolding(MemoryCgroup cgroup, int mebibytes) throws Exception {
        Process process = new ProcessBuilder(cgroup.command(List.of(ParleyProcess.javaBinary(), "-XX:+UseSerialGC",
                "-Xms" + mebibytes + "m", "-Xmx" + mebibytes + "m", "-XX:+AlwaysPreTouch", "-version")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended").isTrue();
            return process.exitValue();
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
