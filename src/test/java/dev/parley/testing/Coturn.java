package dev.parley.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Debian's coturn ({@code /usr/bin/turnserver}, package coturn) as the TURN server of a test, with the TURN REST API's
 * shared secret ({@code use-auth-secret}) as a deployment would run it (docs/deployment.md): no CLI, no DTLS, no
 * configuration file, its log in {@code logDir/coturn.log}; TLS on a port of its own when given a certificate.
 * Optionally inside a network namespace.
 */
public final class Coturn implements AutoCloseable {

    public static final String BINARY = System.getenv().getOrDefault("PARLEY_TURNSERVER", "/usr/bin/turnserver");
    private static final Pattern TLS_REFUSED = Pattern.compile("ERROR: .*(key|certificate)", Pattern.CASE_INSENSITIVE);

    private final Process process;
    private final List<String> prefix;
    private final String address;
    private final int port;
    private final File log;

    /**
     * TURN over TLS ({@code turns:}): coturn's TLS listener on {@code port} with this certificate and key (PEM).
     * coturn also answers TLS on its plain port and plain TCP on this one; a test's firewall tells them apart.
     */
    public record Tls(int port, Path certificate, Path key) {
    }

    private Coturn(Process process, List<String> prefix, String address, int port, File log) {
        this.process = process;
        this.prefix = prefix;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts coturn listening on {@code address:port} (UDP and TCP) and relaying from {@code relayAddress}, and waits
     * until it answers a STUN binding request.
     *
     * @param namespace a network namespace to run in, or null
     * @param extra more options, e.g. {@code --allowed-peer-ip=10.0.0.1} or {@code --allow-loopback-peers}
     */
    public static Coturn start(String namespace, String address, String relayAddress, int port, String secret,
                               List<String> extra, File logDir) throws Exception {
        return start(namespace, address, relayAddress, port, null, secret, extra, logDir);
    }

    /** As {@link #start(String, String, String, int, String, List, File)}, with TLS too unless {@code tls} is null. */
    public static Coturn start(String namespace, String address, String relayAddress, int port, Tls tls,
                               String secret, List<String> extra, File logDir) throws Exception {
        if (!new File(BINARY).canExecute()) {
            throw new AssertionError(BINARY + " is missing: the TURN tests need Debian's coturn "
                    + "(apt-get install coturn; .ci/run installs it)");
        }
        if (!logDir.isDirectory() && !logDir.mkdirs()) {
            throw new IOException("cannot create " + logDir);
        }
        List<String> prefix = namespace == null ? List.of() : List.of("ip", "netns", "exec", namespace);
        File log = new File(logDir, "coturn.log");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(BINARY, "-n", "--no-cli", "--no-dtls", "--listening-ip=" + address,
                "--listening-port=" + port, "--relay-ip=" + relayAddress, "--use-auth-secret",
                "--static-auth-secret=" + secret, "--realm=parley.test", "--log-file=stdout", "--simple-log",
                "--pidfile=" + new File(logDir, "coturn.pid").getAbsolutePath(),
                "--userdb=" + new File(logDir, "coturn.db").getAbsolutePath(), "--min-port=49152",
                "--max-port=65535"));
        if (tls == null) {
            command.add("--no-tls");
        } else {
            command.addAll(List.of("--tls-listening-port=" + tls.port(), "--cert=" + tls.certificate().toAbsolutePath(),
                    "--pkey=" + tls.key().toAbsolutePath(), "--no-tlsv1", "--no-tlsv1_1"));
        }
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        Coturn coturn = new Coturn(process, prefix, address, port, log);
        try {
            coturn.awaitStun(Duration.ofSeconds(30));
            if (tls != null && TLS_REFUSED.matcher(coturn.log()).find()) {
                // coturn goes on without TLS then, and browsers would only fail to connect.
                throw new AssertionError("coturn refused the TLS certificate or key:\n" + coturn.log());
            }
        } catch (Exception | AssertionError e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    public int port() {
        return port;
    }

    /** The last 5000 characters of coturn's log. */
    public String log() {
        try {
            String text = Files.readString(log.toPath());
            return text.substring(Math.max(0, text.length() - 5000));
        } catch (IOException e) {
            return "(no coturn log: " + e + ")";
        }
    }

    private void awaitStun(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("coturn ended at start:\n" + log());
            }
            List<String> probe = new ArrayList<>(prefix);
            probe.addAll(List.of("timeout", "2", "/usr/bin/turnutils_stunclient", "-p", String.valueOf(port), address));
            Process stun = new ProcessBuilder(probe).redirectErrorStream(true).start();
            String output = new String(stun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (stun.waitFor(5, TimeUnit.SECONDS) && stun.exitValue() == 0 && output.contains("UDP reflexive addr")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("coturn did not answer STUN on " + address + ":" + port + " within " + timeout
                + ":\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
