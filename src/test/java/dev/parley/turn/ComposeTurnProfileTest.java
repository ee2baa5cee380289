package dev.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Coturn;
import dev.parley.testing.TestCertificateAuthority;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code turn} profile of docker-compose.yml serves TURN over TLS with the certificate of the folder it mounts:
 * Debian's coturn (the image's is coturn 4.6 as well) runs with the coturn service's own command, its variables filled
 * in as compose fills them and the mounted folder's path put in place of the container's. The TLS port presents the
 * certificate put in that folder, checked for the TURN host's name against the test's own authority, and answers a
 * STUN Binding request over that TLS connection (coturn serves TURN on every listener alike; TurnBrowserTest has
 * browsers relay through its TLS port). Loopback only: the test adds a listening and relay address and a free plain
 * port, and its own pid and database files, and changes nothing else of the command.
 */
class ComposeTurnProfileTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::-([^}]*))?}");
    private static final String TURN_HOST = "turn.parley.test";
    private static final File LOGS = new File("target/compose-turn");

    @Test
    @SuppressWarnings("unchecked")
    void theTurnProfilesCoturnServesTurnOverTlsWithTheMountedCertificate(@TempDir Path folder) throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) compose.get("services"))
                .get("coturn");
        assertThat((List<String>) service.get("profiles")).containsExactly("turn");

        String secret = "compose-turn-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        int tlsPort = freePort();
        Map<String, String> environment = Map.of("PARLEY_TURN_SECRET", secret, "PARLEY_PUBLIC_HOST", TURN_HOST,
                "PARLEY_PUBLIC_IP", "127.0.0.1", "PARLEY_TURN_TLS_PORT", String.valueOf(tlsPort),
                "PARLEY_TURN_TLS_DIR", folder.toString());
        List<String> volumes = (List<String>) service.get("volumes");
        assertThat(volumes).as("one mount, the certificate folder").hasSize(1);
        assertThat(fill(volumes.get(0), Map.of())).as("its default").startsWith("./turn-tls:");
        String[] mount = fill(volumes.get(0), environment).split(":");
        assertThat(mount).as("host folder, container folder, read-only").hasSize(3);
        assertThat(mount[0]).isEqualTo(folder.toString());
        assertThat(mount[2]).isEqualTo("ro");

        TestCertificateAuthority authority = TestCertificateAuthority.create("Parley compose TURN test CA");
        TestCertificateAuthority.Issued issued = authority.issue(TURN_HOST, folder, "issued");
        Files.move(issued.certificate(), folder.resolve("fullchain.pem"));
        Files.move(issued.key(), folder.resolve("privkey.pem"));

        LOGS.mkdirs();
        int plainPort = freePort();
        List<String> command = new ArrayList<>(List.of(Coturn.BINARY));
        for (String argument : (List<String>) service.get("command")) {
            String filled = fill(argument, environment).replace("=" + mount[1] + "/", "=" + mount[0] + "/");
            command.add(filled.equals("--listening-port=3478") ? "--listening-port=" + plainPort : filled);
        }
        assertThat(command).contains("--tls-listening-port=" + tlsPort, "--cert=" + folder.resolve("fullchain.pem"),
                "--pkey=" + folder.resolve("privkey.pem"));
        command.addAll(List.of("--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                "--pidfile=" + new File(LOGS, "coturn.pid").getAbsolutePath(),
                "--userdb=" + new File(LOGS, "coturn.db").getAbsolutePath()));
        File log = new File(LOGS, "coturn.log");
        Process coturn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            X509Certificate served = awaitTls(tlsPort, authority.writeCertificate(folder.resolve("ca.crt")), coturn,
                    log);
            assertThat(served).isEqualTo(read(folder.resolve("fullchain.pem")));
        } finally {
            coturn.destroy();
            if (!coturn.waitFor(10, TimeUnit.SECONDS)) {
                coturn.destroyForcibly();
            }
        }
    }

    /** {@code ${NAME}} and {@code ${NAME:-default}} filled in as compose does: the default when unset or empty. */
    private static String fill(String text, Map<String, String> environment) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = environment.getOrDefault(m.group(1), "");
            if (value.isEmpty() && m.group(2) != null) {
                value = m.group(2);
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        return filled.toString();
    }

    /**
     * The certificate coturn's TLS port presents once it answers, checked as a browser checks it: against the
     * authority only, for the TURN host's name (sent as SNI); a STUN Binding request over the connection is answered.
     */
    private static X509Certificate awaitTls(int port, Path authority, Process coturn, File log) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", read(authority));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline && coturn.isAlive()) {
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(2000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(TURN_HOST)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertBindingAnswered(socket);
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no TLS on port " + port + " (" + last + "):\n" + Files.readString(log.toPath()));
    }

    /**
     * A STUN Binding request (RFC 8489: 20 bytes of header, no attributes, written out here rather than taking a
     * library for it) gets a Binding success response with the same transaction id.
     */
    private static void assertBindingAnswered(SSLSocket socket) throws IOException {
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
                .putInt(0x2112A442).put(transaction);
        socket.getOutputStream().write(request.array());
        socket.getOutputStream().flush();
        byte[] header = socket.getInputStream().readNBytes(20);
        assertThat(header).as("a STUN header").hasSize(20);
        ByteBuffer response = ByteBuffer.wrap(header);
        assertThat(response.getShort() & 0xffff).as("Binding success response").isEqualTo(0x0101);
        response.getShort();
        assertThat(response.getInt()).as("magic cookie").isEqualTo(0x2112A442);
        assertThat(Arrays.copyOfRange(header, 8, 20)).as("transaction id").isEqualTo(transaction);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
