package dev.parley.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Parley as a process of its own on free loopback ports (HTTP and the media UDP port), so a test can kill it with
 * SIGKILL and start it again on the same database, and the load generator can measure it from outside. By default it
 * runs from this JVM's classpath (without the test classes, so nothing test-only is component-scanned) with JVM flags
 * for a quick, small start; {@link Builder#jar} runs a built jar instead. Its output goes to a log file (appended to),
 * whose tail is quoted when it fails to start.
 */
public final class ParleyProcess implements AutoCloseable {

    /**
     * Netty's leak tracking, which the server turns off unless told (ParleyApplication): tests that start Parley as a
     * process keep it, so a leaked buffer shows in the log as a LEAK error.
     */
    public static final String LEAK_TRACKING = "-Dio.netty.leakDetection.level=simple";

    /** A quick start matters more than peak speed in tests; the heap bound keeps two processes cheap on a small box. */
    static final List<String> TEST_JAVA_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", LEAK_TRACKING);
    /**
     * The flags of a Parley the tests start in a network namespace: the JVM's own compiler and collector, as a
     * deployment has them, with the heap bounded.
     */
    public static final List<String> NAMESPACE_JAVA_OPTIONS = List.of("-Xmx512m", LEAK_TRACKING);
    static final String MAIN_CLASS = "dev.parley.ParleyApplication";
    /** Parley's compiled classes and resources. */
    static final Path CLASSES = Path.of("target", "classes").toAbsolutePath();

    private final Process process;
    private final int port;
    private final int mediaPort;
    private final Path log;
    private final Thread shutdownHook;

    private ParleyProcess(Process process, int port, int mediaPort, Path log) {
        this.process = process;
        this.port = port;
        this.mediaPort = mediaPort;
        this.log = log;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop-parley-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Parley from the classpath with the given extra arguments (datasource, profiles, admin) and waits until
     * /actuator/health answers UP, at most {@code timeout}; fails with the log's tail when it exits or does not get
     * there.
     */
    public static ParleyProcess start(List<String> arguments, Path log, Duration timeout) throws IOException {
        return builder().arguments(arguments).log(log).start(timeout);
    }

    /** The java launcher of the JVM running this, by absolute path (so it also runs under {@code ip netns exec}). */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command that starts Parley up to its own arguments: this JVM's java, the given flags, and Parley's classes
     * and runtime dependencies, with the shared archive of its classes when the build has one
     * ({@link ClassDataSharing}, made on first use).
     */
    public static List<String> javaCommand(List<String> jvmOptions) {
        Optional<ClassDataSharing.Archive> archive = runtimeDependencies().flatMap(ClassDataSharing::archive);
        if (archive.isEmpty()) {
            return classpathCommand(jvmOptions, applicationClasspath());
        }
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(archive.get().jvmOptions());
        return classpathCommand(options, archive.get().classpath());
    }

    /** This JVM's java, the given flags, the classpath and Parley's main class: the shape of every start here. */
    static List<String> classpathCommand(List<String> jvmOptions, String classpath) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(MAIN_CLASS);
        return command;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How to start Parley; only the log is required. */
    public static final class Builder {
        private Path jar;
        private List<String> javaOptions = TEST_JAVA_OPTIONS;
        private List<String> arguments = List.of();
        private Map<String, String> environment = Map.of();
        private Path log;
        private MemoryCgroup memoryCgroup;
        private List<String> launch;

        private Builder() {
        }

        /** The command up to Parley's arguments (java, flags, classpath, main class), in place of the usual one. */
        Builder launch(List<String> value) {
            this.launch = List.copyOf(value);
            return this;
        }

        /** Runs {@code java -jar} on this jar instead of the classes on this JVM's classpath. */
        public Builder jar(Path value) {
            this.jar = value;
            return this;
        }

        /** The JVM's flags, in place of the quick-start ones meant for tests. */
        public Builder javaOptions(List<String> value) {
            this.javaOptions = List.copyOf(value);
            return this;
        }

        /** Parley's own arguments after the ports and addresses ({@code --name=value}; later ones win). */
        public Builder arguments(List<String> value) {
            this.arguments = List.copyOf(value);
            return this;
        }

        /**
         * Runs Parley inside this memory cgroup from its first instruction ({@link MemoryCgroup#command}), so the JVM
         * and its memory live under the cgroup's limit, as on a small machine.
         */
        public Builder memoryCgroup(MemoryCgroup value) {
            this.memoryCgroup = value;
            return this;
        }

        /** Variables added to the process's environment (e.g. PARLEY_ADMIN_PASSWORD, kept off the command line). */
        public Builder environment(Map<String, String> value) {
            this.environment = Map.copyOf(value);
            return this;
        }

        public Builder log(Path value) {
            this.log = value;
            return this;
        }

        /**
         * Starts the process and waits until /actuator/health answers UP, at most {@code timeout}.
         *
         * @throws IOException when it cannot start, exits while starting or is not UP in time (with the log's tail)
         */
        public ParleyProcess start(Duration timeout) throws IOException {
            if (log == null) {
                throw new IllegalStateException("no log file");
            }
            int port = freeTcpPort();
            int mediaPort = freeUdpPort();
            List<String> command = new ArrayList<>();
            if (launch != null) {
                command.addAll(launch);
            } else if (jar != null) {
                command.add(javaBinary());
                command.addAll(javaOptions);
                command.add("-jar");
                command.add(jar.toString());
            } else if (memoryCgroup != null) {
                // What a process holds is measured here: without the tests' shared archive, as a deployment runs.
                command.addAll(classpathCommand(javaOptions, applicationClasspath()));
            } else {
                command.addAll(javaCommand(javaOptions));
            }
            command.add("--server.address=127.0.0.1");
            command.add("--server.port=" + port);
            command.add("--parley.media.port=" + mediaPort);
            command.add("--parley.media.bind-address=127.0.0.1");
            command.add("--parley.media.announced-addresses=127.0.0.1");
            // shared chat files beside the log, never in the working directory's data folder
            command.add("--parley.chat.directory=" + log.toAbsolutePath().resolveSibling(
                    log.getFileName() + "-files"));
            command.add("--parley.media.allowed-sources=127.0.0.0/8");
            command.add("--spring.main.banner-mode=off");
            command.add("--spring.jmx.enabled=false");
            command.add("--logging.level.root=WARN");
            command.add("--logging.level.dev.parley=INFO");
            command.addAll(arguments);
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(memoryCgroup == null ? command : memoryCgroup.command(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            ParleyProcess parley = new ParleyProcess(builder.start(), port, mediaPort, log);
            try {
                parley.awaitHealthy(timeout);
                return parley;
            } catch (IOException | RuntimeException | Error e) {
                parley.kill();
                throw e;
            }
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The media (ICE, DTLS, SRTP) UDP port. */
    public int mediaPort() {
        return mediaPort;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL on Linux: no shutdown hooks, no graceful close of the database; waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(15));
    }

    /** SIGTERM: Parley shuts down gracefully (and closes its database); killed after the timeout. */
    public void stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("Parley did not stop within " + timeout + "; killed. Log tail:\n" + tail(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        removeHook();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        removeHook();
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        AtomicReference<String> last = new AtomicReference<>("no answer");
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IOException("Parley exited with status " + process.exitValue()
                            + " while starting. Log tail (" + log + "):\n" + tail(60));
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    last.set(response.statusCode() + " " + response.body());
                    return response.statusCode() == 200 && response.body().contains("\"UP\"");
                } catch (IOException notYet) {
                    last.set(notYet.toString());
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IOException("Parley was not UP within " + timeout + " (last: " + last.get() + "). Log tail ("
                    + log + "):\n" + tail(60), e);
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + process.pid() + " still alive " + timeout + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    /** Parley's runtime dependencies, one classpath line, written by Maven's dependency plugin before the tests. */
    private static final Path RUNTIME_CLASSPATH = Path.of("target", "runtime-classpath.txt");

    /**
     * Parley's classpath as the product has it: its classes and its runtime dependencies, none of the tests' own
     * libraries. Some of those change what Spring Boot configures: with Spring Authorization Server (the single
     * sign-on tests' provider) on the classpath, each start made an RSA key, about 2 s of a 14 s start here. Where
     * Maven has not written the list (a run from an IDE), the test JVM's classpath minus the test classes; under
     * Surefire java.class.path is only a manifest jar, so its surefire.test.class.path (the real list) comes first.
     */
    public static String applicationClasspath() {
        String classes = CLASSES.toString();
        Optional<String> dependencies = runtimeDependencies();
        if (dependencies.isPresent()) {
            return classes + File.pathSeparator + dependencies.get();
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String testClasses = Path.of("target", "test-classes").toAbsolutePath().normalize().toString();
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().toString().equals(testClasses))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The runtime dependencies Maven listed, when it did. */
    private static Optional<String> runtimeDependencies() {
        if (!Files.isRegularFile(RUNTIME_CLASSPATH)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(RUNTIME_CLASSPATH, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(RUNTIME_CLASSPATH + " cannot be read", e);
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }
}
