package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory cgroup the load generator runs Parley in: it caps a real process and reports what happened. */
class MemoryCgroupTest {

    @BeforeEach
    void needsCgroups() {
        assumeTrue(MemoryCgroup.isAvailable(), "needs a writable memory cgroup hierarchy (Linux, root)");
    }

    @Test
    void aProcessWithinTheLimitRunsAndItsPeakIsKept() throws Exception {
        MemoryCgroup cgroup = MemoryCgroup.create("parley-test-within-" + ProcessHandle.current().pid(), 96L << 20);
        try (cgroup) {
            assertThat(run(cgroup, 32)).as("exit status").isZero();
        }

        assertThat(Files.exists(cgroup.procs().getParent())).as("removed").isFalse();
        assertThat(cgroup.peakBytes()).as("peak, kept after removal").isBetween(32L << 20, 96L << 20);
        assertThat(cgroup.oomKills()).isZero();
    }

    @Test
    void aProcessPastTheLimitIsKilledAndCounted() throws Exception {
        MemoryCgroup cgroup = MemoryCgroup.create("parley-test-past-" + ProcessHandle.current().pid(), 64L << 20);
        try (cgroup) {
            assertThat(run(cgroup, 256)).as("killed: 128 + SIGKILL").isEqualTo(137);
            assertThat(cgroup.oomKills()).isEqualTo(1);
        }
        assertThat(cgroup.oomKills()).as("kept after removal").isEqualTo(1);
    }

    /** A process that joins the cgroup, then fills this many MiB and exits; its exit status. */
    private static int run(MemoryCgroup cgroup, int mebibytes) throws Exception {
        String fill = "b = bytearray(" + mebibytes + " << 20)\nfor i in range(0, len(b), 4096): b[i] = 1";
        Process process = new ProcessBuilder(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                cgroup.procs().toString(), "python3", "-c", fill)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ended").isTrue();
        return process.exitValue();
    }
}
