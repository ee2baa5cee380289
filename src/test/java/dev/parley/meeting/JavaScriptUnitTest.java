package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the meeting client's own unit tests (src/test/js, Node's built-in test runner, no npm packages) as part of the
 * Maven build, so a broken client module fails the suite like a broken Java class.
 */
class JavaScriptUnitTest {

    @Test
    void meetingClientModulesPassTheirNodeTests() throws Exception {
        String node = System.getenv().getOrDefault("PARLEY_NODE", "node");
        Process process;
        try {
            process = new ProcessBuilder(node, "--test", "src/test/js/")
                    .directory(new File(System.getProperty("user.dir")))
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            throw new AssertionError("Node.js is needed for the client's tests (.ci/run installs nodejs): " + e, e);
        }
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("node --test finished in time").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
    }
}
