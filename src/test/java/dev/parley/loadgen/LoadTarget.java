package dev.parley.loadgen;

import dev.parley.testing.MemoryCgroup;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Parley under test: either nodes this tool starts as {@link ParleyProcess}es (the built jar or its own classpath,
 * an admin it chooses) and stops again, or one already running that it only talks to. One node started here runs on
 * an in-memory database; several form a cluster on a fresh PostgreSQL database and the local Redis, a meeting's media
 * cascading over them.
 *
 * @param nodes node 1 first: the one participants sign in and signal through
 * @param peoplePerNode the cascade's people per node when several nodes were started here, else null
 */
record LoadTarget(String adminEmail, String adminPassword, List<Node> nodes, Integer peoplePerNode)
        implements AutoCloseable {

    /**
     * One Parley process.
     *
     * @param pid the relay's process id, or null when unknown (then its CPU and memory are not read)
     * @param mediaPort the relay's UDP port, or null when unknown
     * @param process the process started here, or null
     * @param memoryCgroup the memory cgroup it runs in, or null
     */
    record Node(URI base, Long pid, Integer mediaPort, ParleyProcess process, MemoryCgroup memoryCgroup) {
    }

    /** The load generator's memory cgroups: this, its process id, the node. */
    private static final String CGROUP_PREFIX = "parley-loadgen-";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
    private static final String ADMIN_EMAIL = "loadgen-admin@parley.local";
    /** Every synthetic participant shares 127.0.0.1: lift the per-source STUN/DTLS limits meant for the internet. */
    private static final List<String> PER_SOURCE_LIMITS = List.of("--parley.media.stun-burst-per-source=1000000",
            "--parley.media.stun-rate-per-source=1000000", "--parley.media.dtls-burst-per-source=1000000",
            "--parley.media.dtls-rate-per-source=1000000");

    LoadTarget {
        nodes = List.copyOf(nodes);
    }

    /** A Parley that is already running. */
    static LoadTarget attach(URI base, String adminEmail, String adminPassword, Long pid) {
        return new LoadTarget(adminEmail, adminPassword, List.of(new Node(base, pid, null, null, null)), null);
    }

    /**
     * Starts {@code count} nodes on free loopback ports, each with a fresh log, one after the other (a start keeps
     * both cores of a small machine busy); returns once all are healthy, else stops those already up and throws.
     *
     * @param jar the jar to run, or null for the generator's own classpath (then with the tests' quick-start JVM
     *            flags unless {@code javaOptions} names others)
     * @param log node 1's log; node N logs beside it, to NAME-node-N.log
     * @param memoryLimitBytes null, or the memory each node may hold: each runs in a memory cgroup of its own
     */
    static LoadTarget start(Path jar, List<String> javaOptions, Path log, int count, int peoplePerNode,
            Long memoryLimitBytes, PrintStream progress) throws IOException {
        if (jar != null && !Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist: build it with `mvn -q -DskipTests package`, pass --jar, "
                    + "or point --server at a running Parley");
        }
        String password = randomPassword();
        List<String> arguments = new ArrayList<>(PER_SOURCE_LIMITS);
        arguments.addAll(count == 1 ? List.of("--spring.datasource.url=jdbc:h2:mem:parley-load;DB_CLOSE_DELAY=-1")
                : clusterArguments(peoplePerNode));
        List<Node> nodes = new ArrayList<>();
        try {
            for (int n = 1; n <= count; n++) {
                Path nodeLog = n == 1 ? log : nodeLog(log, n);
                String name = count == 1 ? "Parley" : "node " + n + " of " + count;
                progress.println("loadgen: starting " + name + " from " + (jar == null ? "the classpath" : jar)
                        + " (log: " + nodeLog + ")");
                Files.deleteIfExists(nodeLog);
                ParleyProcess.Builder builder = ParleyProcess.builder().arguments(arguments)
                        .environment(Map.of("PARLEY_ADMIN_EMAIL", ADMIN_EMAIL, "PARLEY_ADMIN_PASSWORD", password))
                        .log(nodeLog);
                if (jar != null) {
                    builder.jar(jar);
                }
                if (jar != null || !javaOptions.isEmpty()) {
                    builder.javaOptions(javaOptions);
                }
                MemoryCgroup memory = null;
                ParleyProcess process;
                try {
                    if (memoryLimitBytes != null) {
                        MemoryCgroup.removeAbandoned(CGROUP_PREFIX);
                        memory = MemoryCgroup.create(CGROUP_PREFIX + ProcessHandle.current().pid() + "-node-" + n,
                                memoryLimitBytes);
                        builder.memoryCgroup(memory);
                    }
                    process = builder.start(START_TIMEOUT);
                } catch (IOException | RuntimeException | Error e) {
                    if (memory != null) {
                        try {
                            memory.close();
                        } catch (IOException removing) {
                            e.addSuppressed(removing);
                        }
                        if (memory.oomKills() > 0) {
                            throw new IOException(name + " was killed for want of memory while starting, under its "
                                    + (memoryLimitBytes >> 20) + " MiB limit", e);
                        }
                    }
                    throw e;
                }
                nodes.add(new Node(URI.create(process.baseUrl()), process.pid(), process.mediaPort(), process,
                        memory));
                progress.println("loadgen: " + name + " is up at " + process.baseUrl() + ", pid " + process.pid()
                        + ", media port " + process.mediaPort());
            }
        } catch (IOException | RuntimeException e) {
            new LoadTarget(ADMIN_EMAIL, password, nodes, null).close();
            throw e;
        }
        return new LoadTarget(ADMIN_EMAIL, password, nodes, count == 1 ? null : peoplePerNode);
    }

    /** One PostgreSQL database and one Redis namespace for this run's nodes, and when a meeting cascades. */
    private static List<String> clusterArguments(int peoplePerNode) throws IOException {
        if (PostgresSupport.endpoint() == null) {
            throw new IOException("--nodes needs PostgreSQL: none answered at 127.0.0.1:5432 (PARLEY_TEST_PG_URL "
                    + "names another) and there is no Docker engine for Testcontainers");
        }
        String redisProblem = RedisSupport.ping();
        if (redisProblem != null) {
            throw new IOException("--nodes needs Redis (PARLEY_TEST_REDIS_HOST/PORT): " + redisProblem);
        }
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        return List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--parley.cluster.redis-url=" + RedisSupport.url(),
                "--parley.cluster.namespace=parley-loadgen-" + UUID.randomUUID(),
                "--parley.cluster.cascade.people-per-node=" + peoplePerNode);
    }

    /** parley-server.log becomes parley-server-node-2.log. */
    static Path nodeLog(Path first, int node) {
        String name = first.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return first.resolveSibling(stem + "-node-" + node + extension);
    }

    /** Node 1's address: where participants sign in and signal. */
    URI base() {
        return nodes.get(0).base();
    }

    /** Node 1's process id, or null. */
    Long pid() {
        return nodes.get(0).pid();
    }

    boolean startedHere() {
        return nodes.get(0).process() != null;
    }

    /** Node 1's log, when it was started here. */
    Path log() {
        return log(nodes.get(0));
    }

    static Path log(Node node) {
        return node.process() == null ? null : node.process().log();
    }

    /**
     * Lines of the servers' logs that report a WARN or an ERROR (only for servers started here), each prefixed with
     * its node when there are several.
     */
    List<String> logProblems() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String prefix = nodes.size() == 1 ? "" : "node " + (i + 1) + ": ";
            logProblems(log(nodes.get(i))).forEach(line -> problems.add(prefix + line));
        }
        return problems;
    }

    private static List<String> logProblems(Path log) {
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

    /**
     * Stops the servers started here, all at once (SIGTERM, Parley shuts down gracefully; killed after 40 s), then
     * removes their memory cgroups, which keep their last figures.
     */
    @Override
    public void close() {
        try {
            List<Thread> stopping = new ArrayList<>();
            for (Node node : nodes) {
                if (node.process() != null) {
                    Thread stop = new Thread(() -> stop(node.process()), "loadgen-stop-" + node.pid());
                    stop.start();
                    stopping.add(stop);
                }
            }
            for (Thread stop : stopping) {
                try {
                    stop.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    nodes.stream().filter(node -> node.process() != null).forEach(node -> node.process().kill());
                    break;
                }
            }
        } finally {
            for (Node node : nodes) {
                if (node.memoryCgroup() != null) {
                    try {
                        node.memoryCgroup().close();
                    } catch (IOException e) {
                        System.err.println("loadgen: " + e.getMessage());
                    }
                }
            }
        }
    }

    private static void stop(ParleyProcess process) {
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
