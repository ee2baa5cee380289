package dev.parley.loadgen;

import dev.parley.testing.ParleyProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Parley under test: either one this tool starts as a {@link ParleyProcess} (the built jar, an in-memory database
 * and an admin it chooses) and stops again, or one already running that it only talks to.
 *
 * @param pid the relay's process id, or null when unknown (then its CPU and memory are not read)
 * @param mediaPort the relay's UDP port, or null when unknown
 * @param process the process started here, or null
 */
record LoadTarget(URI base, String adminEmail, String adminPassword, Long pid, Integer mediaPort,
                  ParleyProcess process) implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
    private static final String ADMIN_EMAIL = "loadgen-admin@parley.local";

    /** A Parley that is already running. */
    static LoadTarget attach(URI base, String adminEmail, String adminPassword, Long pid) {
        return new LoadTarget(base, adminEmail, adminPassword, pid, null, null);
    }

    /** Starts the jar on free loopback ports with a fresh log; returns once it is healthy. */
    static LoadTarget start(Path jar, List<String> javaOptions, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist: build it with `mvn -q -DskipTests package`, pass --jar, "
                    + "or point --server at a running Parley");
        }
        String password = randomPassword();
        List<String> arguments = new ArrayList<>();
        // Every synthetic participant shares 127.0.0.1: lift the per-source STUN/DTLS limits meant for the internet.
        arguments.add("--parley.media.stun-burst-per-source=1000000");
        arguments.add("--parley.media.stun-rate-per-source=1000000");
        arguments.add("--parley.media.dtls-burst-per-source=1000000");
        arguments.add("--parley.media.dtls-rate-per-source=1000000");
        arguments.add("--spring.datasource.url=jdbc:h2:mem:parley-load;DB_CLOSE_DELAY=-1");
        Files.deleteIfExists(log);
        ParleyProcess process = ParleyProcess.builder().jar(jar).javaOptions(javaOptions).arguments(arguments)
                .environment(Map.of("PARLEY_ADMIN_EMAIL", ADMIN_EMAIL, "PARLEY_ADMIN_PASSWORD", password))
                .log(log).start(START_TIMEOUT);
        return new LoadTarget(URI.create(process.baseUrl()), ADMIN_EMAIL, password, process.pid(),
                process.mediaPort(), process);
    }

    boolean startedHere() {
        return process != null;
    }

    /** The server's log, when it was started here. */
    Path log() {
        return process == null ? null : process.log();
    }

    /** Lines of the server's log that report a WARN or an ERROR (only for a server started here). */
    List<String> logProblems() {
        Path log = log();
        if (log == null || !Files.isReadable(log)) {
            return List.of();
        }
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                            || line.startsWith("Exception") || line.contains("OutOfMemoryError"))
                    .toList();
        } catch (IOException e) {
            return List.of("could not read " + log + ": " + e.getMessage());
        }
    }

    /** Stops a server started here (SIGTERM, Parley shuts down gracefully; killed after 40 s). */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            process.stop(STOP_TIMEOUT);
        } catch (AssertionError killed) {
            // it was killed after the timeout: the log says why it hung
        }
    }

    private static String randomPassword() {
        char[] alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder("Load-");
        for (int i = 0; i < 24; i++) {
            out.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return out.append("-9x").toString();
    }
}
