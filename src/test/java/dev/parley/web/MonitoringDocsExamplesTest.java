package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ShellExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The monitoring example of docs/integrations.md as written: Parley runs with the {@code management} profile (the
 * document's {@code SPRING_PROFILES_ACTIVE=management}, so the actuator is on 127.0.0.1:9090, the documented port),
 * and the {@code curl | grep} line runs with /bin/sh and /usr/bin/curl. Its own context, closed afterwards, so that
 * port 9090 is held only while this class runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles({"test", "management"})
@DirtiesContext
class MonitoringDocsExamplesTest {

    /**
     * Any free web port, given here rather than as RANDOM_PORT or an inlined property: Spring Boot's test support
     * would then move the management port to a random one as well.
     */
    @DynamicPropertySource
    static void anyWebPort(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> "0");
    }

    @Test
    void theMonitoringExampleWorksAsWritten() throws Exception {
        String doc = Files.readString(Path.of("docs/integrations.md"));
        String monitoring = doc.substring(doc.indexOf("## Monitoring"), doc.indexOf("## Health probes"));
        List<ShellExamples.Example> examples = ShellExamples.in(monitoring);
        assertThat(examples).as("the curl examples of docs/integrations.md's Monitoring").isNotEmpty()
                .allSatisfy(example -> assertThat(example.command()).startsWith("curl "));

        for (ShellExamples.Example example : examples) {
            assertThat(example.expect()).isEqualTo("parley_meeting meters");
            ShellExamples.Run run = ShellExamples.run(example.command(), Map.of("PATH", "/usr/bin:/bin"),
                    Duration.ofSeconds(30));
            assertThat(run.finished()).as("finished in time: %s", example.command()).isTrue();
            assertThat(run.exitCode()).as("exit code of %s\n%s", example.command(), run.output()).isZero();
            List<String> lines = run.output().lines().toList();
            assertThat(lines).as("what %s printed", example.command()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("parley_meeting"))
                    .anySatisfy(line -> assertThat(line).startsWith("parley_meeting_rooms "))
                    .anySatisfy(line -> assertThat(line).startsWith("parley_meeting_participants "));
        }
    }
}
