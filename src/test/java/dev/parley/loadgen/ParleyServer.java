package dev.parley.loadgen;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Parley under test: either a process this tool starts ({@code java -jar parley.jar} on free loopback ports, an
 * in-memory database and an admin it chooses) and stops again, or one already running that it only talks to.
 */
final class ParleyServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String ADMIN_EMAIL = "loadgen-admin@parley.local";

    private final URI base;
    private final String adminEmail;
    private final String adminPassword;
    private final Long pid;
    private final Integer mediaPort;
    private final Process process;
    private final Path log;
    private final Thread shutdownHook;

    private ParleyServer(URI base, String adminEmail, String adminPassword, Long pid, Integer mediaPort,
            Process process, Path log) {
        this.base = base;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.pid = pid;
        this.mediaPort = mediaPort;
        this.process = process;
        this.log = log;
        if (process != null) {
            // an interrupted run (Ctrl-C) must not leave the server behind
            shutdownHook = new Thread(process::destroyForcibly, "loadgen-stop-parley");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** A Parley that is already running; {@code pid} may be null (then its CPU and memory are not read). */
    static ParleyServer attach(URI base, String adminEmail, String adminPassword, Long pid, Integer mediaPort) {
        return new ParleyServer(base, adminEmail, adminPassword, pid, mediaPort, null, null);
    }

    /** Starts {@code java -jar} on the jar with loopback-only settings and waits until it is healthy. */
    static ParleyServer start(Path jar, List<String> javaOptions, Path log, HttpClient http) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist: build it with `mvn -q -DskipTests package`, pass --jar, "
                    + "or point --server at a running Parley");
        }
        int httpPort = freeTcpPort();
        int mediaPort = freeUdpPort();
        String password = randomPassword();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.address=127.0.0.1");
        command.add("--server.port=" + httpPort);
        command.add("--parley.media.port=" + mediaPort);
        command.add("--parley.media.bind-address=127.0.0.1");
        command.add("--parley.media.announced-addresses=127.0.0.1");
        command.add("--parley.media.allowed-sources=127.0.0.0/8");
        // Every synthetic participant shares 127.0.0.1: lift the per-source STUN/DTLS limits meant for the internet.
        command.add("--parley.media.stun-burst-per-source=1000000");
        command.add("--parley.media.stun-rate-per-source=1000000");
        command.add("--parley.media.dtls-burst-per-source=1000000");
        command.add("--parley.media.dtls-rate-per-source=1000000");
        command.add("--spring.datasource.url=jdbc:h2:mem:parley-load;DB_CLOSE_DELAY=-1");
        command.add("--spring.main.banner-mode=off");
        command.add("--logging.level.root=WARN");
        command.add("--logging.level.dev.parley=INFO");
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PARLEY_ADMIN_EMAIL", ADMIN_EMAIL);
        builder.environment().put("PARLEY_ADMIN_PASSWORD", password);
        Process process = builder.start();
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        ParleyServer server = new ParleyServer(base, ADMIN_EMAIL, password, process.pid(), mediaPort, process, log);
        try {
            server.awaitHealthy(http);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitHealthy(HttpClient http) throws IOException {
        ParleyWeb web = new ParleyWeb(http, base, adminEmail, adminPassword);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("Parley exited with status " + process.exitValue() + " while starting; "
                        + "last lines of " + log + ":\n" + tail(20));
            }
            if (web.health() == 200) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while Parley was starting", e);
            }
        }
        throw new IOException("Parley was not healthy within " + START_TIMEOUT + "; see " + log);
    }

    URI base() {
        return base;
    }

    String adminEmail() {
        return adminEmail;
    }

    String adminPassword() {
        return adminPassword;
    }

    /** The relay's process id, or null when unknown. */
    Long pid() {
        return pid;
    }

    /** The relay's UDP port, or null when unknown. */
    Integer mediaPort() {
        return mediaPort;
    }

    boolean startedHere() {
        return process != null;
    }

    Path log() {
        return log;
    }

    /** Lines of the server's log that report a WARN or an ERROR (only for a server started here). */
    List<String> logProblems() {
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

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops a server started here (SIGTERM, Parley shuts down gracefully; killed after 40 s). */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
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
