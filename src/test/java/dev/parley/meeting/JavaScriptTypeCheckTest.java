package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Type-checks the meeting client's modules (src/main/resources/static/js/meeting, JSDoc types under `// @ts-check`)
 * with the TypeScript compiler pinned in src/test/browsers (src/test/browsers/tsconfig.json: strict, no output), so
 * a type error fails the suite like a compile error in a Java class. The served files stay plain JavaScript.
 */
class JavaScriptTypeCheckTest {

    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");

    @Test
    void meetingClientModulesPassTheTypeCheck() throws Exception {
        File tsc = new File(BROWSER_SCRIPTS, "node_modules/typescript/bin/tsc");
        assertThat(tsc).as("TypeScript is installed (.ci/run runs npm ci in src/test/browsers)").isFile();
        String node = System.getenv().getOrDefault("PARLEY_NODE", "node");
        Process process;
        try {
            String config = new File(BROWSER_SCRIPTS, "tsconfig.json").getPath();
            process = new ProcessBuilder(node, tsc.getPath(), "-p", config, "--pretty", "false")
                    .directory(new File(System.getProperty("user.dir")))
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            throw new AssertionError("Node.js is needed for the client's type check (.ci/run installs nodejs): " + e,
                    e);
        }
        // Read while tsc runs: a full pipe would otherwise stall it until the timeout.
        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "could not read tsc's output: " + e;
            }
        });
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = reading.get(30, TimeUnit.SECONDS);
        assertThat(finished).as("tsc finished in time").isTrue();
        assertThat(process.exitValue())
                .as("tsc -p src/test/browsers/tsconfig.json found type errors:%n%s", output)
                .isZero();
    }
}
