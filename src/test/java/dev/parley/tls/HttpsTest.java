package dev.parley.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyApplication;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

/**
 * HTTPS served by Parley itself, over real sockets: PARLEY_TLS=self-signed makes a certificate for localhost once and
 * keeps it across restarts, plain HTTP answers with a 308 to the same path on HTTPS, and PARLEY_TLS=files serves the
 * PEM files it is given and takes a renewed pair without a restart. The start-up log names the address to open, and
 * warns when the public URL is one where browsers refuse camera and microphone.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpsTest {

    @TempDir
    Path directory;

    private ConfigurableApplicationContext start(String... tls) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.datasource.url=jdbc:h2:mem:tls-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--parley.media.port=0", "--parley.media.bind-address=127.0.0.1",
                "--parley.media.announced-addresses=127.0.0.1", "--server.shutdown=immediate",
                "--logging.level.root=WARN", "--logging.level.dev.parley.tls=INFO",
                "--parley.chat.directory=" + directory.resolve("files")));
        args.addAll(Arrays.asList(tls));
        return new SpringApplicationBuilder(ParleyApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An HTTPS connection that trusts only {@code trusted}; returns the certificate the server presented. */
    private static X509Certificate served(int port, X509Certificate trusted) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("parley", trusted);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://localhost:" + port + "/login").toURL()
                .openConnection();
        connection.setSSLSocketFactory(ssl.getSocketFactory());
        connection.setInstanceFollowRedirects(false);
        try {
            assertThat(connection.getResponseCode()).as("the sign-in page over HTTPS").isEqualTo(200);
            Certificate[] chain = connection.getServerCertificates();
            return (X509Certificate) chain[0];
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void selfSignedServesHttpsForLocalhostKeepsItsCertificateAndRedirectsPlainHttp(CapturedOutput output)
            throws Exception {
        int httpPort = TestSocketUtils.findAvailableTcpPort();
        Path tls = directory.resolve("tls");
        X509Certificate first;
        try (ConfigurableApplicationContext context = start("--parley.tls.mode=self-signed",
                "--parley.tls.directory=" + tls, "--parley.tls.http-port=" + httpPort)) {
            first = read(tls.resolve(SelfSignedCertificate.CERTIFICATE_FILE));
            assertThat(first.getSubjectAlternativeNames()).extracting(name -> String.valueOf(name.get(1)))
                    .contains("localhost", "127.0.0.1");
            int httpsPort = port(context);
            assertThat(served(httpsPort, first)).isEqualTo(first);
            assertThat(output.getOut()).contains("Parley is ready: open https://localhost:" + httpsPort
                    + "/ (plain HTTP on port " + httpPort + " redirects there); the certificate is self-signed");

            HttpURLConnection plain = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + httpPort + "/r/abc?x=1").toURL().openConnection();
            plain.setInstanceFollowRedirects(false);
            plain.setRequestMethod("POST");
            assertThat(plain.getResponseCode()).as("a redirect that keeps the method").isEqualTo(308);
            assertThat(plain.getHeaderField("Location")).isEqualTo("https://127.0.0.1:" + httpsPort + "/r/abc?x=1");
            plain.disconnect();
        }
        try (ConfigurableApplicationContext again = start("--parley.tls.mode=self-signed",
                "--parley.tls.directory=" + tls, "--parley.tls.http-port=" + httpPort)) {
            assertThat(served(port(again), first)).as("the same certificate after a restart").isEqualTo(first);
        }
    }

    @Test
    void plainHttpOnAPublicNameIsWarnedAboutInWords(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("--parley.rooms.public-url=http://meet.example.org")) {
            assertThat(output.getOut()).contains("Parley is ready: open http://meet.example.org")
                    .contains("PARLEY_ROOMS_PUBLIC_URL is http://meet.example.org: browsers give camera and "
                            + "microphone only to https:// pages and to localhost");
        }
        assertThat(StartupAddress.secureContext("https://meet.example.org")).isTrue();
        assertThat(StartupAddress.secureContext("http://localhost:8080")).isTrue();
        assertThat(StartupAddress.secureContext("http://127.0.0.1:8080")).isTrue();
        assertThat(StartupAddress.secureContext("http://10.0.0.5:8080")).as("a LAN address").isFalse();
        assertThat(StartupAddress.secureContext("not a url")).isFalse();
    }

    @Test
    void filesAreServedAndARenewedPairIsTakenWithoutARestart() throws Exception {
        Path[] original = SelfSignedCertificate.ensure(directory.resolve("a"), List.of("localhost"), Instant.now());
        Path[] renewed = SelfSignedCertificate.ensure(directory.resolve("b"), List.of("localhost", "127.0.0.2"),
                Instant.now());
        Path live = Files.createDirectories(directory.resolve("live"));
        Path certificate = Files.copy(original[0], live.resolve("fullchain.pem"));
        Path key = Files.copy(original[1], live.resolve("privkey.pem"));
        int httpPort = TestSocketUtils.findAvailableTcpPort();
        try (ConfigurableApplicationContext context = start("--parley.tls.mode=files",
                "--parley.tls.certificate=" + certificate, "--parley.tls.private-key=" + key,
                "--parley.tls.http-port=" + httpPort, "--spring.ssl.bundle.watch.file.quiet-period=200ms")) {
            int port = port(context);
            assertThat(served(port, read(original[0]))).isEqualTo(read(original[0]));

            // certbot's renewal: both files replaced
            Files.copy(renewed[1], key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed[0], certificate, StandardCopyOption.REPLACE_EXISTING);

            long replaced = System.nanoTime();
            X509Certificate now = read(original[0]);
            for (int attempt = 0; attempt < 100 && now.equals(read(original[0])); attempt++) {
                Thread.sleep(200);
                try {
                    now = served(port, read(renewed[0]));
                } catch (SSLHandshakeException e) {
                    // still the old one, which this client no longer trusts
                }
            }
            assertThat(now).as("the renewed certificate, without a restart").isEqualTo(read(renewed[0]));
            System.out.printf("renewed certificate served %d ms after the files changed%n",
                    (System.nanoTime() - replaced) / 1_000_000);
        }
    }

    @Test
    void anUnknownModeOrMissingFilesStopTheStartWithAClearMessage() {
        assertThatThrownBy(() -> start("--parley.tls.mode=yes-please"))
                .hasStackTraceContaining("PARLEY_TLS must be off, self-signed or files");
        assertThatThrownBy(() -> start("--parley.tls.mode=files"))
                .hasStackTraceContaining("PARLEY_TLS_CERTIFICATE and PARLEY_TLS_PRIVATE_KEY");
    }

}
