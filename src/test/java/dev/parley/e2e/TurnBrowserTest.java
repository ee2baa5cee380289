package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.Coturn;
import dev.parley.testing.JsonLines;
import dev.parley.testing.LogTails;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.RoomForms;
import dev.parley.testing.Subnets;
import dev.parley.testing.TestCertificateAuthority;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Participants on networks that reach Parley's web port and the TURN server, and nothing else, still see each other,
 * through Debian's coturn (use-auth-secret) with the credentials Parley handed their pages: Chromium and Firefox ESR,
 * over TURN on UDP, on TCP, and over TLS ({@code turns:}).
 *
 * <p>One Parley and one coturn serve every test. They share one network namespace; each participant's browser runs
 * in a namespace of its own (Ada's, Bob's), linked to Parley's by a veth pair, whose nftables rules each test sets:
 * only TCP to the web port and what the test allows of coturn gets out. The relay listens on an address of its own
 * ({@code relayAddress}), coturn on another, plain TURN on one port and TLS on another, with a certificate from the
 * test's own authority for the name {@value #TURN_HOST} (each browser namespace's /etc/hosts has it). Browsers trust
 * that authority as a user who added it would (launch.mjs, PARLEY_CA_CERT): neither accepts a TURN server's
 * certificate it cannot verify, see docs/deployment.md. Parley hands out all three URLs and allows ICE checks only
 * from coturn's relay address. Each meeting's assertions: both decode each other's video, each page's selected
 * candidate pair has a local candidate of type relay with the protocol to coturn the firewall left, and the browsers
 * did try the relay directly (their checks were dropped): the page keeps {@code iceTransportPolicy} {@code all}.
 *
 * <p>Parley serves all of it over HTTPS with its own self-signed certificate (PARLEY_TLS=self-signed), as on a LAN
 * deployment: its public URL is {@code https://}{@value #PARLEY_HOST}, a name each browser namespace's /etc/hosts
 * points at its own way to Parley and the certificate names, so pages are a secure context by HTTPS alone (camera and
 * microphone with no flag that treats an origin as secure) and signalling goes over {@code wss:}. Each browser accepts
 * Parley's certificate as its user would for good (launch.mjs, PARLEY_SERVER_CERT): for that server only, not with
 * acceptInsecureCerts, which in Firefox would accept any TURN server's certificate too. The test's own HTTP client
 * trusts exactly that certificate.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnBrowserTest {

    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final String TURN_HOST = "turn.parley.test";
    private static final String PARLEY_HOST = "meet.parley.test";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+)");

    private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private final int subnet = Subnets.unused(222, 223, 224, 225, 226);
    private final String serverNs = "parley-ts-" + id;
    private final String adaNs = "parley-ta-" + id;
    private final String bobNs = "parley-tb-" + id;
    private final String hostSide = "pts" + id;
    private final String testLinkAddress = "10.224." + subnet + ".1";
    private final String relayAddress = "10.225." + subnet + ".1";
    private final String coturnAddress = "10.226." + subnet + ".1";
    private final String secret = "turn-browser-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final File logDir = new File("target/turn-browser");
    private final List<Process> browsers = new ArrayList<>();
    private Process server;
    private Coturn coturn;
    private Path authority;
    private int httpsPort;
    private Path parleyCertificate;
    private int mediaPort;
    private int turnPort;
    private int tlsPort;
    private WebSession admin;

    @BeforeAll
    void startCoturnAndParley() throws Exception {
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        assertThat(new File("/usr/bin/certutil")).as("NSS's certutil is installed (libnss3-tools; .ci/run installs it)")
                .canRead();
        logDir.mkdirs();
        createNamespaces();
        httpsPort = freePort();
        int redirectPort = freePort();
        mediaPort = freePort();
        turnPort = freePort();
        tlsPort = freePort();
        TestCertificateAuthority ca = TestCertificateAuthority.create("Parley TURN test CA " + id);
        authority = ca.writeCertificate(logDir.toPath().resolve("ca.crt")).toAbsolutePath();
        TestCertificateAuthority.Issued certificate = ca.issue(TURN_HOST, logDir.toPath(), "turn");
        coturn = Coturn.start(serverNs, coturnAddress, coturnAddress, turnPort,
                new Coturn.Tls(tlsPort, certificate.certificate(), certificate.key()), secret,
                List.of("--allowed-peer-ip=" + relayAddress), logDir);
        String turnUrls = "turn:" + coturnAddress + ":" + turnPort + "?transport=udp,turn:" + coturnAddress + ":"
                + turnPort + "?transport=tcp,turns:" + TURN_HOST + ":" + tlsPort + "?transport=tcp";
        Path tls = logDir.toPath().resolve("tls-" + id).toAbsolutePath();
        parleyCertificate = tls.resolve("self-signed.crt");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", serverNs));
        command.addAll(ParleyProcess.javaCommand(ParleyProcess.NAMESPACE_JAVA_OPTIONS));
        command.addAll(List.of("--server.address=0.0.0.0", "--parley.tls.mode=self-signed",
                "--parley.tls.directory=" + tls, "--parley.tls.https-port=" + httpsPort,
                "--parley.tls.http-port=" + redirectPort,
                "--parley.rooms.public-url=https://" + PARLEY_HOST + ":" + httpsPort,
                "--spring.datasource.url=jdbc:h2:mem:turn;DB_CLOSE_DELAY=-1",
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                "--parley.media.port=" + mediaPort, "--parley.media.bind-address=" + relayAddress,
                "--parley.media.announced-addresses=" + relayAddress,
                "--parley.media.allowed-sources=" + coturnAddress + "/32",
                "--parley.turn.urls=" + turnUrls, "--parley.turn.secret=" + secret,
                "--logging.level.root=WARN", "--logging.level.dev.parley=INFO"));
        server = new ProcessBuilder(command)
                .redirectOutput(new File(logDir, "server.out")).redirectError(new File(logDir, "server.err")).start();
        String viaVeth = "https://" + testLinkAddress + ":" + httpsPort;
        HttpClient http = awaitHealth(viaVeth);
        admin = new WebSession(viaVeth, http).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    @AfterEach
    void stopBrowsersAndClearFirewalls() throws Exception {
        for (Process process : browsers) {
            if (process.isAlive()) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // already gone
                }
            }
        }
        for (Process process : browsers) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        browsers.clear();
        for (String namespace : List.of(adaNs, bobNs)) {
            run(false, "ip", "netns", "exec", namespace, "nft", "delete", "table", "inet", "parley_firewall");
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (coturn != null) {
            coturn.close();
        }
        run(false, "ip", "link", "del", hostSide);
        for (String namespace : List.of(adaNs, bobNs, serverNs)) {
            run(false, "ip", "netns", "del", namespace);
        }
        for (String namespace : List.of(adaNs, bobNs, serverNs)) {
            run(false, "rm", "-rf", "/etc/netns/" + namespace);
        }
    }

    @Test
    void chromiumParticipantsWhoReachOnlyTheTurnServerSeeEachOtherThroughIt() throws Exception {
        String link = room("Behind firewalls");
        firewall(adaNs, "ada.nft", """
                ip daddr %1$s tcp dport %2$d accept
                ip daddr %1$s udp dport %2$d accept
                """.formatted(coturnAddress, turnPort));
        firewall(bobNs, "bob.nft", "ip daddr %s tcp dport %d accept".formatted(coturnAddress, turnPort));

        JsonLines ada = browser("chromium", adaNs, link, "Ada");
        JsonLines bob = browser("chromium", bobNs, link, "Bob");
        List<JsonNode> seen = meetThroughTurn(ada, bob);

        assertThat(seen.get(1).path("selected").path("relayProtocol").asText()).as("Bob has no UDP: TURN over TCP")
                .isEqualTo("tcp");
        assertTheyTriedTheRelayDirectly();

        // Bob's pre-join network check finds neither UDP nor TCP to the relay, but TURN, and says so in plain words.
        JsonNode check = networkCheck(bobNs, link);
        assertThat(check.path("outcome").asText()).as(check.toString()).isEqualTo("turn");
        assertThat(check.path("udp").asText()).isEqualTo("blocked");
        assertThat(check.path("tcp").asText()).as("this Parley offers no ICE-TCP: not set up, rather than blocked")
                .isEqualTo("not-configured");
        assertThat(check.path("turn").asText()).isEqualTo("ok");
        assertThat(check.path("summary").asText()).contains("TURN");
    }

    /**
     * Firefox and Chromium, one on a network that lets out only UDP to coturn's plain port, the other on one that lets
     * out only TCP to coturn's TLS port (the {@code turns:} URL, as on a network that lets out only HTTPS); then the
     * other way round. (With both UDP and TCP to coturn open, which of the two a browser's relay candidate uses
     * varies from run to run.)
     */
    @ParameterizedTest(name = "{0} through TURN over UDP, {1} through TURN over TLS")
    @CsvSource({"firefox, chromium", "chromium, firefox"})
    void firefoxAndChromiumSeeEachOtherThroughTurnAndTurnOverTls(String udpBrowser, String tlsBrowser)
            throws Exception {
        String link = room(udpBrowser + " and " + tlsBrowser + " behind firewalls");
        firewall(adaNs, "ada.nft", "ip daddr %s udp dport %d accept".formatted(coturnAddress, turnPort));
        firewall(bobNs, "bob.nft", "ip daddr %s tcp dport %d accept".formatted(coturnAddress, tlsPort));

        JsonLines ada = browser(udpBrowser, adaNs, link, "Ada");
        JsonLines bob = browser(tlsBrowser, bobNs, link, "Bob");
        List<JsonNode> seen = meetThroughTurn(ada, bob);

        assertThat(seen.get(0).path("selected").path("relayProtocol").asText()).as("%s: TURN over UDP", udpBrowser)
                .isEqualTo("udp");
        assertThat(seen.get(1).path("selected").path("relayProtocol").asText()).as("%s: TURN over TLS", tlsBrowser)
                .isEqualTo("tls");
        assertTheyTriedTheRelayDirectly();
    }

    /** A new room's link, on Parley's public URL. */
    private String room(String title) {
        long roomId = RoomForms.schedule(admin, RoomForms.valid(title, ZoneId.of("UTC"), 1));
        String link = RoomForms.link(admin, roomId);
        assertThat(link).startsWith("https://" + PARLEY_HOST + ":" + httpsPort + "/");
        return link;
    }

    /**
     * Waits until each decodes the other's video and keeps doing so; asserts both selected a relay candidate towards
     * the relay's media port, and returns the last statistics of each (Ada's, Bob's).
     */
    private List<JsonNode> meetThroughTurn(JsonLines ada, JsonLines bob) throws InterruptedException {
        double adaFirst = frames(ada.await(s -> decodesTheOther(s, 30), PATIENCE));
        double bobFirst = frames(bob.await(s -> decodesTheOther(s, 30), PATIENCE));
        // Still flowing a moment later.
        JsonNode adaIn = ada.await(s -> decodesTheOther(s, adaFirst + 30), PATIENCE);
        JsonNode bobIn = bob.await(s -> decodesTheOther(s, bobFirst + 30), PATIENCE);
        System.out.printf("Ada's selected pair: %s%nBob's selected pair: %s%n", adaIn.path("selected"),
                bobIn.path("selected"));
        for (JsonNode stats : List.of(adaIn, bobIn)) {
            assertThat(stats.path("selected").path("localType").asText()).as("local candidate of %s", stats)
                    .isEqualTo("relay");
            assertThat(stats.path("selected").path("address").asText()).isEqualTo(relayAddress);
            assertThat(stats.path("selected").path("port").asInt()).isEqualTo(mediaPort);
        }
        return List.of(adaIn, bobIn);
    }

    private void assertTheyTriedTheRelayDirectly() throws Exception {
        long adaDirect = directAttempts(adaNs);
        long bobDirect = directAttempts(bobNs);
        System.out.printf("Packets sent straight to the relay and dropped: Ada %d, Bob %d%n", adaDirect, bobDirect);
        assertThat(adaDirect).as("Ada's browser tried the relay directly too").isPositive();
        assertThat(bobDirect).as("Bob's browser tried the relay directly too").isPositive();
    }

    /** The pre-join page's network check in Chromium in that namespace; what the page shows. */
    private JsonNode networkCheck(String namespace, String link) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace,
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "network-check.mjs", "chromium", link)
                .directory(BROWSER_SCRIPTS).redirectError(new File(logDir, "check.err"));
        trustParleyAndTheTestAuthority(builder);
        Process process = builder.start();
        browsers.add(process);
        return JsonLines.of(process, "check", this::logs).await(s -> s.has("outcome"), PATIENCE);
    }

    private static boolean decodesTheOther(JsonNode stats, double moreThan) {
        return stats.path("tiles").size() == 2 && frames(stats) > moreThan;
    }

    /** Video frames decoded from the other participant. */
    private static double frames(JsonNode stats) {
        String self = stats.path("participantId").asText();
        for (JsonNode tile : stats.path("tiles")) {
            if (!tile.asText().equals(self)) {
                return stats.path("inbound").path(tile.asText()).path("framesDecoded").asDouble();
            }
        }
        return 0;
    }

    /** Packets the namespace's browser sent straight to the relay's address (all dropped by the firewall). */
    private long directAttempts(String namespace) throws Exception {
        Process list = new ProcessBuilder("ip", "netns", "exec", namespace, "nft", "list", "table", "inet",
                "parley_firewall").redirectErrorStream(true).start();
        String rules = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(10, TimeUnit.SECONDS);
        Matcher m = PACKETS.matcher(rules);
        assertThat(m.find()).as(rules).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** {@code kind} (chromium or firefox) joining the room in that namespace. */
    private JsonLines browser(String kind, String namespace, String link, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace,
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs", kind, link, name, "300")
                .directory(BROWSER_SCRIPTS).redirectError(new File(logDir, name + "-" + kind + ".err"));
        builder.environment().put("PARLEY_STATS_INTERVAL_MS", "500");
        trustParleyAndTheTestAuthority(builder);
        Process process = builder.start();
        browsers.add(process);
        return JsonLines.of(process, name + " (" + kind + ")", this::logs);
    }

    /** The browser accepts Parley's self-signed certificate for its public URL and trusts the test's authority. */
    private void trustParleyAndTheTestAuthority(ProcessBuilder builder) {
        builder.environment().put("PARLEY_SERVER_CERT", parleyCertificate.toString());
        builder.environment().put("PARLEY_SERVER_ORIGIN", "https://" + PARLEY_HOST + ":" + httpsPort);
        builder.environment().put("PARLEY_CA_CERT", authority.toString());
    }

    private void createNamespaces() throws Exception {
        for (String namespace : List.of(serverNs, adaNs, bobNs)) {
            run(true, "ip", "netns", "add", namespace);
            run(true, "ip", "-n", namespace, "link", "set", "lo", "up");
        }
        // The relay and coturn each on an address of their own, reachable from both browsers' links.
        run(true, "ip", "-n", serverNs, "addr", "add", relayAddress + "/32", "dev", "lo");
        run(true, "ip", "-n", serverNs, "addr", "add", coturnAddress + "/32", "dev", "lo");
        // The test's way in to Parley.
        run(true, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "tst0", "netns", serverNs);
        run(true, "ip", "addr", "add", "10.224." + subnet + ".2/24", "dev", hostSide);
        run(true, "ip", "link", "set", hostSide, "up");
        run(true, "ip", "-n", serverNs, "addr", "add", testLinkAddress + "/24", "dev", "tst0");
        run(true, "ip", "-n", serverNs, "link", "set", "tst0", "up");
        link(adaNs, "ada0", "10.222." + subnet);
        link(bobNs, "bob0", "10.223." + subnet);
        // Parley resolves its own public name to a private address, as on a LAN (else it warns of a private relay
        // address behind a public name); the machine's own names kept.
        Path serverEtc = Files.createDirectories(Path.of("/etc/netns", serverNs));
        Files.writeString(serverEtc.resolve("hosts"), Files.readString(Path.of("/etc/hosts")) + "\n" + testLinkAddress
                + " " + PARLEY_HOST + "\n");
    }

    /**
     * A veth pair from Parley's namespace (.1) to a browser's (.2, its default route via .1), and the browser's
     * /etc/hosts naming coturn and Parley, the latter at .1.
     */
    private void link(String namespace, String serverSide, String prefix) throws Exception {
        run(true, "ip", "-n", serverNs, "link", "add", serverSide, "type", "veth", "peer", "name", "eth0", "netns",
                namespace);
        run(true, "ip", "-n", serverNs, "addr", "add", prefix + ".1/24", "dev", serverSide);
        run(true, "ip", "-n", serverNs, "link", "set", serverSide, "up");
        run(true, "ip", "-n", namespace, "addr", "add", prefix + ".2/24", "dev", "eth0");
        run(true, "ip", "-n", namespace, "link", "set", "eth0", "up");
        run(true, "ip", "-n", namespace, "route", "add", "default", "via", prefix + ".1");
        hosts(namespace, coturnAddress + " " + TURN_HOST + "\n" + prefix + ".1 " + PARLEY_HOST);
    }

    /** The namespace's /etc/hosts ({@code ip netns exec} puts /etc/netns/NAME/hosts in place of /etc/hosts). */
    private static void hosts(String namespace, String entries) throws IOException {
        Path etc = Path.of("/etc/netns", namespace);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n" + entries + "\n");
    }

    /**
     * The namespace's output firewall: loopback, TCP to Parley's HTTPS port and {@code allowed} (nft rules, one a line)
     * pass; everything else is dropped, what went to the relay counted on the way.
     */
    private void firewall(String namespace, String fileName, String allowed) throws Exception {
        String rules = """
                table inet parley_firewall {
                  chain output {
                    type filter hook output priority 0; policy drop;
                    oif "lo" accept
                    tcp dport %1$d accept
                %2$s
                    ip daddr %3$s counter
                  }
                }
                """.formatted(httpsPort, allowed.strip().indent(4).stripTrailing(), relayAddress);
        File file = new File(logDir, fileName);
        Files.writeString(file.toPath(), rules);
        run(true, "ip", "netns", "exec", namespace, "nft", "-f", file.getAbsolutePath());
    }

    /**
     * Waits until Parley answers healthy over HTTPS; returns the client that asked, which trusts exactly the
     * self-signed certificate Parley made as it started, follows no redirects and keeps no cookies (for WebSession).
     */
    private HttpClient awaitHealth(String base) throws Exception {
        HttpClient http = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (http == null && Files.isReadable(parleyCertificate)) {
                    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(5)).sslContext(trustingOnly(parleyCertificate)).build();
                }
                if (http != null) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create(base + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("UP")) {
                        return http;
                    }
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Parley did not start in the namespace\n" + logs());
    }

    /**
     * TLS that trusts the one certificate in that file and nothing else, whatever name it was reached by: the test
     * reaches Parley at its link's address, which the certificate does not name. (An extended trust manager, so that
     * JSSE adds no host-name check of its own.)
     */
    private static SSLContext trustingOnly(Path certificateFile) throws IOException, GeneralSecurityException {
        X509Certificate expected;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            expected = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        X509ExtendedTrustManager only = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0 || !chain[0].equals(expected)) {
                    throw new CertificateException("not Parley's self-signed certificate");
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client's certificate is never trusted here");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkClientTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {only}, null);
        return context;
    }

    private String logs() {
        return LogTails.of(logDir, name -> name.endsWith(".out") || name.endsWith(".err") || name.endsWith(".log"));
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
            process.destroyForcibly();
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the test needs root for network "
                    + "namespaces, as CI has): " + output);
        }
    }
}
