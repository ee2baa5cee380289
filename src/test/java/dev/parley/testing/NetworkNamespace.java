package dev.parley.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A network namespace of a test's own, for WebRTC clients that offer ICE candidates only on a non-loopback interface
 * (Firefox, libnice): Parley and its clients run inside it, media stays inside it (the relay bound to and announcing
 * the namespace's address), and the test reaches Parley's HTTP from outside over a veth pair. Needs root, as CI has.
 *
 * <p>{@link #close()} stops what was started inside (clients by a line "stop" on their stdin, Parley by SIGTERM, then
 * anything left by SIGKILL) and removes the veth pair and the namespace.
 */
public final class NetworkNamespace implements AutoCloseable {

    /** A client's grace to end by itself after "stop" (it may DELETE its session first). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name = "parley-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private final String hostSide = "pv" + name.substring(7);
    private final String prefix;
    private final File logDir;
    private final List<Started> started = new ArrayList<>();

    private record Started(Process process, boolean readsStop) {
    }

    /**
     * Parley inside the namespace: its ports, and its base URL as the test reaches it over the veth pair.
     *
     * @param http a client for it: one that trusts any certificate when Parley serves HTTPS with a self-signed one
     */
    public record Parley(Process process, int httpPort, int mediaPort, String viaVeth, HttpClient http) {

        /** Its base URL from inside the namespace (loopback: a secure context for browsers even over plain HTTP). */
        public String inside() {
            return viaVeth.substring(0, viaVeth.indexOf(':')) + "://127.0.0.1:" + httpPort;
        }

        /** A fresh web session to it over the veth pair. */
        public WebSession web() {
            return new WebSession(viaVeth, http);
        }
    }

    private NetworkNamespace(File logDir) {
        this.logDir = logDir;
        this.prefix = "10.213." + Subnets.unused(213) + ".";
    }

    /** Creates the namespace (its loopback up, eth0 paired with a veth on this side); logs go under {@code logDir}. */
    public static NetworkNamespace create(File logDir) throws Exception {
        if (!logDir.isDirectory() && !logDir.mkdirs()) {
            throw new IOException("cannot create " + logDir);
        }
        NetworkNamespace namespace = new NetworkNamespace(logDir);
        try {
            namespace.build();
        } catch (Exception | AssertionError e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    private void build() throws Exception {
        run(true, "ip", "netns", "add", name);
        run(true, "ip", "-n", name, "link", "set", "lo", "up");
        run(true, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", name);
        run(true, "ip", "addr", "add", prefix + "2/24", "dev", hostSide);
        run(true, "ip", "link", "set", hostSide, "up");
        run(true, "ip", "-n", name, "addr", "add", address() + "/24", "dev", "eth0");
        run(true, "ip", "-n", name, "link", "set", "eth0", "up");
        run(true, "ip", "-n", name, "route", "add", "default", "via", prefix + "2");
    }

    /** The namespace's own address (on its eth0), where the relay listens and which it announces. */
    public String address() {
        return prefix + "1";
    }

    public File logDir() {
        return logDir;
    }

    /**
     * Starts Parley inside on an in-memory database, HTTP on every address of the namespace, the relay on
     * {@link #address()}; {@code arguments} come last (later ones win). Waits until it is healthy, at most
     * {@code timeout}.
     */
    public Parley startParley(String database, List<String> arguments, Duration timeout) throws Exception {
        return startParley(database, arguments, timeout, false);
    }

    /**
     * As {@link #startParley(String, List, Duration)}, served over HTTPS with PARLEY_TLS=self-signed (the certificate
     * under the log directory) when {@code https}; the test's own client then trusts any certificate.
     */
    public Parley startParley(String database, List<String> arguments, Duration timeout, boolean https)
            throws Exception {
        int httpPort = freePort();
        int mediaPort = freePort();
        List<String> command = new ArrayList<>(ParleyProcess.javaCommand(ParleyProcess.NAMESPACE_JAVA_OPTIONS));
        command.addAll(List.of("--server.address=0.0.0.0", "--server.port=" + httpPort,
                "--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                "--parley.media.port=" + mediaPort, "--parley.media.bind-address=" + address(),
                "--parley.media.announced-addresses=" + address(),
                "--parley.media.allowed-sources=" + prefix + "0/24",
                "--logging.level.root=WARN", "--logging.level.dev.parley=INFO",
                "--parley.chat.directory=" + new File(logDir, "files").getAbsolutePath()));
        if (https) {
            command.addAll(List.of("--parley.tls.mode=self-signed", "--parley.tls.http-port=" + freePort(),
                    "--parley.tls.https-port=" + httpPort,
                    "--parley.tls.directory=" + new File(logDir, "tls").getAbsolutePath()));
        }
        command.addAll(arguments);
        Process process = start(command, null, "server", false, false);
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (https) {
            client.sslContext(trustingAnyCertificate());
        }
        Parley parley = new Parley(process, httpPort, mediaPort,
                (https ? "https://" : "http://") + address() + ":" + httpPort, client.build());
        awaitHealth(parley, timeout);
        return parley;
    }

    /**
     * Starts a command inside the namespace that ends when it reads a line "stop". Its stderr goes to
     * {@code <logName>.err}; its stdout is left to the caller when {@code pipeStdout}, else goes to
     * {@code <logName>.out}.
     */
    public Process startClient(List<String> command, File directory, String logName, boolean pipeStdout)
            throws IOException {
        return start(command, directory, logName, pipeStdout, true);
    }

    private Process start(List<String> command, File directory, String logName, boolean pipeStdout,
                          boolean readsStop) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(directory)
                .redirectError(new File(logDir, logName + ".err"));
        if (!pipeStdout) {
            builder.redirectOutput(new File(logDir, logName + ".out"));
        }
        Process process = builder.start();
        started.add(new Started(process, readsStop));
        return process;
    }

    /** Runs a short command inside the namespace (nft, ip, ...); fails the test when it must succeed and does not. */
    public void exec(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        run(true, full.toArray(String[]::new));
    }

    /**
     * Drops {@code percent} % of the datagrams to and from {@code port}, at random (nftables {@code numgen}: the kernel
     * has no netem), replacing what an earlier call set; 0 keeps an empty rule. They are dropped where they arrive
     * (hook input), as a lossy network would. A drop in hook output fails the sender's sendto() with EPERM, which no
     * network does: Firefox then takes its ICE component for disconnected and stops sending until its next consent
     * check (every 4-6 s), so under 5 % loss it went "disconnected" at once and kept reconnecting.
     *
     * @return the rules, to remove when the loss is to end
     */
    public Rules loseAtRandom(int port, int percent) throws Exception {
        return dropOnArrival("parley_loss", """
                udp dport %1$d numgen random mod 100 < %2$d drop
                udp sport %1$d numgen random mod 100 < %2$d drop
                """.formatted(port, percent));
    }

    /**
     * Drops the STUN messages (first byte below 4, RFC 7983) that port {@code from} sends to port {@code to} inside
     * the namespace, where they arrive, and nothing else. With the relay's port as {@code from}, a browser's ICE
     * consent checks go unanswered while media flows both ways and the relay still hears the checks.
     *
     * @return the rules, to remove when the checks are to be answered again
     */
    public Rules loseStun(int from, int to) throws Exception {
        return dropOnArrival("parley_stun", "udp sport %d udp dport %d @th,64,8 < 4 drop".formatted(from, to));
    }

    /** nftables rules put in place in the namespace. */
    public interface Rules {
        /** Takes them out again. */
        void remove() throws Exception;
    }

    /** Puts the rules in the input chain of table {@code inet <table>}, in place of what the table held. */
    private Rules dropOnArrival(String table, String rules) throws Exception {
        File file = new File(logDir, table + ".nft");
        Files.writeString(file.toPath(), """
                table inet %1$s
                delete table inet %1$s
                table inet %1$s {
                  chain input {
                    type filter hook input priority 0; policy accept;
                %2$s
                  }
                }
                """.formatted(table, rules));
        exec("nft", "-f", file.getAbsolutePath());
        return () -> exec("nft", "delete", "table", "inet", table);
    }

    /** The last 3000 characters of each log file, for a failure message. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        File[] files = logDir.listFiles();
        if (files != null) {
            for (File file : files) {
                try {
                    String content = Files.readString(file.toPath());
                    text.append("--- ").append(file.getName()).append('\n')
                            .append(content.substring(Math.max(0, content.length() - 3000))).append('\n');
                } catch (IOException e) {
                    // unreadable: left out
                }
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws Exception {
        // Clients first, while Parley still answers the DELETE of their sessions.
        for (Started s : started) {
            if (s.readsStop() && s.process().isAlive()) {
                try (OutputStream in = s.process().getOutputStream()) {
                    in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // already gone
                }
            }
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Started s : started) {
            if (s.readsStop()) {
                s.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        for (Started s : started) {
            s.process().destroy();
        }
        for (Started s : started) {
            if (!s.process().waitFor(15, TimeUnit.SECONDS)) {
                s.process().descendants().forEach(ProcessHandle::destroyForcibly);
                s.process().destroyForcibly();
            }
        }
        run(false, "ip", "link", "del", hostSide);
        run(false, "ip", "netns", "del", name);
    }

    private void awaitHealth(Parley parley, Duration timeout) throws Exception {
        HttpClient http = parley.http();
        HttpRequest health = HttpRequest.newBuilder(URI.create(parley.viaVeth() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && parley.process().isAlive()) {
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Parley did not start in the namespace within " + timeout + "\n" + logs());
    }

    /** Test-only: the namespace's self-signed Parley is trusted without checking, over a link the test made. */
    private static SSLContext trustingAnyCertificate() throws Exception {
        // An extended trust manager, so that JSSE does not add its own host-name check on top.
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        return context;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(boolean mustSucceed, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (mustSucceed && (process.isAlive() || process.exitValue() != 0)) {
            throw new AssertionError(String.join(" ", command) + " failed (the test needs root for network "
                    + "namespaces, as CI has): " + output);
        }
    }
}
