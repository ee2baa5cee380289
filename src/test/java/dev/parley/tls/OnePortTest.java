package dev.parley.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.ParleyApplication;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditEventRepository;
import dev.parley.relay.Offer;
import dev.parley.relay.Relay;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.stun.IceCheck;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

/**
 * PARLEY_MEDIA_TCP_PORT=https over real sockets: one public port serves HTTPS pages to a TLS client and answers a
 * framed STUN check from the relay, whose TCP candidate names that port; the web app sees each client's own address
 * (a sign-in failure is audited from the address the client connected from, not from the 127.0.0.1 the bytes are
 * passed on from); bytes that are neither close the connection; plain HTTP redirects to the public port. Without TLS,
 * or with the HTTPS port taken, the setting stops the start with a plain message.
 */
class OnePortTest {

    private static final String CLIENT = "127.0.0.7";

    @TempDir
    Path directory;

    private ConfigurableApplicationContext start(String... more) {
        List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1",
                "--spring.datasource.url=jdbc:h2:mem:one-port-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--parley.media.port=0", "--parley.media.bind-address=127.0.0.1",
                "--parley.media.announced-addresses=127.0.0.1", "--server.shutdown=immediate",
                "--logging.level.root=WARN", "--logging.level.dev.parley.tls=INFO",
                "--parley.chat.directory=" + directory.resolve("files")));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(ParleyApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void oneHttpsPortCarriesPagesAndIceTcpAndTheWebAppSeesTheRealClient() throws Exception {
        int httpsPort = TestSocketUtils.findAvailableTcpPort();
        int httpPort = TestSocketUtils.findAvailableTcpPort();
        try (ConfigurableApplicationContext context = start("--parley.tls.mode=self-signed",
                "--parley.tls.directory=" + directory.resolve("tls"), "--parley.tls.https-port=" + httpsPort,
                "--parley.tls.http-port=" + httpPort, "--parley.media.tcp-port=https")) {
            OnePort onePort = context.getBean(OnePort.class);

            // A page over TLS through the public port, from another loopback address than the web server's own.
            Response page = https(httpsPort, "GET /login HTTP/1.0\r\nHost: localhost\r\n\r\n");
            assertThat(page.status()).isEqualTo(200);
            Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
            assertThat(token.find()).as("the sign-in form").isTrue();

            // A failed sign-in is audited with the client's address.
            String email = "nobody-" + UUID.randomUUID() + "@parley.test";
            String form = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password=wrong&_csrf="
                    + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
            Response signIn = https(httpsPort, "POST /login HTTP/1.0\r\nHost: localhost\r\nCookie: "
                    + String.join("; ", page.cookies()) + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + form.length() + "\r\n\r\n" + form);
            assertThat(signIn.status()).as(signIn.head()).isEqualTo(302);
            AuditEventRepository audit = context.getBean(AuditEventRepository.class);
            AuditEvent failed = await().atMost(Duration.ofSeconds(10)).until(() -> audit.findAll().stream()
                    .filter(e -> email.equals(e.getActor()) && "LOGIN_FAILED".equals(e.getAction()))
                    .findFirst().orElse(null), e -> e != null);
            assertThat(failed.getRemoteAddress()).as("the client's address, not the port's 127.0.0.1")
                    .isEqualTo(CLIENT);
            await("entries forgotten as connections close").atMost(Duration.ofSeconds(10))
                    .until(() -> onePort.clients().size() == 0);

            // ICE-TCP on the same port: the candidate names it, and a framed check is answered.
            Relay relay = context.getBean(Relay.class);
            CompletableFuture<Offer> offer = new CompletableFuture<>();
            relay.openBrowser("one-port", "ada", new TransportEvents() {
                @Override
                public void onOffer(Offer o) {
                    offer.complete(o);
                }
            }).get(5, TimeUnit.SECONDS);
            SessionDescription sdp = SdpParser.parse(offer.get(5, TimeUnit.SECONDS).sdp());
            var media = sdp.effective(sdp.media().get(0));
            IceCandidate tcp = sdp.media().get(0).candidates().stream().filter(IceCandidate::isTcp).findFirst()
                    .orElseThrow();
            IceCandidate udp = sdp.media().get(0).candidates().stream().filter(IceCandidate::isUdp).findFirst()
                    .orElseThrow();
            assertThat(tcp.port()).isEqualTo(httpsPort);
            assertThat(tcp.priority()).as("UDP first").isLessThan(udp.priority());
            byte[] password = media.icePwd().orElseThrow().getBytes(StandardCharsets.UTF_8);
            byte[] id = new byte[12];
            id[11] = 42;
            byte[] check = new StunBindingWriter().request(id,
                    IceCheck.controlling(media.iceUfrag().orElseThrow(), "cli", 100, 1, true), password);
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), 2000);
                socket.setSoTimeout(5000);
                byte[] framed = new byte[check.length + 2];
                framed[0] = (byte) (check.length >> 8);
                framed[1] = (byte) check.length;
                System.arraycopy(check, 0, framed, 2, check.length);
                socket.getOutputStream().write(framed);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] packet = new byte[in.readUnsignedShort()];
                in.readFully(packet);
                StunMessage response = StunMessage.parse(packet, 0, packet.length);
                assertThat(response.isBindingSuccessResponse()).isTrue();
                assertThat(response.transactionIdEquals(id)).isTrue();
                assertThat(response.verifyMessageIntegrity(password)).isTrue();
                assertThat(response.xorMappedAddress()).as("the relay knows the client's own address")
                        .isEqualTo(socket.getLocalSocketAddress());
            }

            // Neither TLS nor ICE-TCP: closed, counted.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), httpsPort)) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                int read;
                try {
                    read = socket.getInputStream().read();
                } catch (java.net.SocketException e) {
                    read = -1; // reset: closed with the request unread
                }
                assertThat(read).as("closed").isEqualTo(-1);
            }
            assertThat(onePort.counts().unknown()).isEqualTo(1);
            assertThat(onePort.counts().iceTcp()).isEqualTo(1);
            assertThat(onePort.counts().tls()).isEqualTo(2);

            HttpURLConnection plain = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/login")
                    .toURL().openConnection();
            plain.setInstanceFollowRedirects(false);
            assertThat(plain.getResponseCode()).isEqualTo(308);
            assertThat(plain.getHeaderField("Location")).isEqualTo("https://127.0.0.1:" + httpsPort + "/login");
            plain.disconnect();
        }
    }

    @Test
    void withoutTlsOrWithTheHttpsPortTakenTheStartStopsWithAPlainMessage() throws Exception {
        assertThatThrownBy(() -> start("--parley.media.tcp-port=https"))
                .hasStackTraceContaining("PARLEY_MEDIA_TCP_PORT=https shares Parley's HTTPS port with media, so it "
                        + "needs PARLEY_TLS=self-signed or files");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start("--parley.tls.mode=self-signed",
                    "--parley.tls.directory=" + directory.resolve("tls"),
                    "--parley.tls.https-port=" + taken.getLocalPort(),
                    "--parley.tls.http-port=" + TestSocketUtils.findAvailableTcpPort(),
                    "--parley.media.tcp-port=https"))
                    .hasStackTraceContaining("PARLEY_MEDIA_TCP_PORT=https: cannot listen on the HTTPS port");
        }
    }

    private record Response(int status, String head, String body, List<String> cookies) {
    }

    /** One HTTP/1.0 exchange over TLS from {@link #CLIENT}, trusting whatever certificate the server shows. */
    private static Response https(int port, String request) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port,
                InetAddress.getByName(CLIENT), 0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0 && all.size() < 4_000_000; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            List<String> cookies = new ArrayList<>();
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("set-cookie:")) {
                    cookies.add(line.substring(11).strip().split(";", 2)[0]);
                }
            }
            return new Response(Integer.parseInt(head.split(" ", 3)[1]), head,
                    split < 0 ? "" : text.substring(split + 4), cookies);
        }
    }
}
