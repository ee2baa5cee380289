package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
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
        // Read while node runs: a full pipe would otherwise stall it until the timeout.
        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "could not read node's output: " + e;
            }
        });
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = reading.get(30, TimeUnit.SECONDS);
        assertThat(finished).as("node --test finished in time").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
    }
}
