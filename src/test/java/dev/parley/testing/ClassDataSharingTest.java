package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The archive the tests' Parley processes start with is made, and the JVM maps it with the classpath and the flags
 * they use: a build whose archive the JVM refuses (a jar rewritten after the dump, another JVM) would start every
 * process slowly and say so only in a warning in each process's log.
 */
class ClassDataSharingTest {

    /** The flags of ParleyProcess's starts, and those of the starts in network namespaces (default JIT and GC). */
    static Stream<List<String>> flags() {
        return Stream.of(ParleyProcess.TEST_JAVA_OPTIONS, ParleyProcess.NAMESPACE_JAVA_OPTIONS);
    }

    @ParameterizedTest
    @MethodSource("flags")
    void theJvmMapsTheArchiveWithParleysClasspath(List<String> flags) throws Exception {
        assumeTrue(Boolean.parseBoolean(System.getProperty("parley.test.cds", "true")),
                "started without the archive (-Dparley.test.cds=false)");
        assumeTrue(Files.isRegularFile(Path.of("target", "runtime-classpath.txt")),
                "no runtime classpath from Maven (an IDE's run): no archive");
        List<String> command = ParleyProcess.javaCommand(flags);
        assertThat(command).as("the archive was made (see target/parley-cds/training.log)")
                .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile="));

        // -Xshare:on fails at start-up, before the main class, when the archive or its classpath does not match.
        List<String> check = new ArrayList<>(command.subList(0, command.size() - 1));
        check.add(1, "-Xshare:on");
        check.add("-version");
        Process java = new ProcessBuilder(check).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
    }
}
