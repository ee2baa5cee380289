package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JsonLines;
import dev.parley.testing.NetworkNamespace;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A network that lets no UDP through to the relay and no TCP but to the HTTPS port: two Chromium participants and one
 * Firefox in a namespace of the test's own where nftables drops every datagram to and from the media port and every
 * TCP segment to the server's address on any other port. Each must still see and hear both others, over the relay's
 * passive ICE-TCP candidate (RFC 6544) on the HTTPS port itself (PARLEY_MEDIA_TCP_PORT=https, the one-port
 * deployment), and getStats must show a TCP pair to that port selected.
 *
 * <p>All of it over HTTPS, with Parley's own self-signed certificate (PARLEY_TLS=self-signed), which the browsers are
 * told to accept. The pre-join page's network check says so too: before UDP is blocked it finds both paths working (Chromium),
 * after it it finds UDP blocked and TCP working and says Parley will use TCP (Firefox); each outcome is in the
 * server's log for the admin.
 */
@Tag("browser")
class IceTcpBrowserTest {

    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

    private NetworkNamespace namespace;

    @AfterEach
    void tearDown() throws Exception {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void withUdpBlockedTwoChromiumsAndAFirefoxMeetOverTcp() throws Exception {
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        namespace = NetworkNamespace.create(new File("target/ice-tcp-browser"));
        NetworkNamespace.Parley parley = namespace.startParley("ice-tcp", List.of(
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                "--parley.media.tcp-port=https"), Duration.ofSeconds(180), true);
        assertThat(parley.inside()).startsWith("https://");
        WebSession admin = parley.web().login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("No UDP here", ZoneId.of("UTC"), 1));
        String link = parley.inside() + RoomForms.path(RoomForms.link(admin, roomId));

        JsonNode open = networkCheck("chromium", link);
        assertThat(open.path("outcome").asText()).as(open.toString()).isEqualTo("good");
        assertThat(open.path("udp").asText()).isEqualTo("ok");
        assertThat(open.path("tcp").asText()).isEqualTo("ok");
        assertThat(open.path("turn").asText()).isEqualTo("not-configured");
        assertThat(open.path("upload").path("value").asInt()).as("upload, kbit/s").isPositive();
        assertThat(open.path("summary").asText()).isEqualTo("Your network is fine for meetings.");

        blockUdpAndOtherTcp(parley.mediaPort(), parley.httpPort());
        JsonNode blocked = networkCheck("firefox", link);
        assertThat(blocked.path("outcome").asText()).as(blocked.toString()).isEqualTo("tcp");
        assertThat(blocked.path("udp").asText()).isEqualTo("blocked");
        assertThat(blocked.path("tcp").asText()).isEqualTo("ok");
        assertThat(blocked.path("summary").asText()).contains("blocks UDP", "TCP");
        File log = new File(namespace.logDir(), "server.out");
        await("the server's log of both checks").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Files.readString(log.toPath())).contains("udp=ok tcp=ok turn=not-configured")
                        .contains("udp=blocked tcp=ok"));

        JsonLines ada = browser("chromium", link, "Ada");
        JsonLines bob = browser("chromium", link, "Bob");
        JsonLines firefox = browser("firefox", link, "Firefox");
        for (JsonLines stats : List.of(ada, bob, firefox)) {
            JsonNode first = stats.await(s -> s.path("tiles").size() == 3 && s.path("inbound").size() == 2
                    && frames(s) > 0 && audio(s) > 0, STEP_TIMEOUT);
            JsonNode later = stats.await(s -> frames(s) > frames(first) + 20 && audio(s) > audio(first), STEP_TIMEOUT);
            assertThat(later.path("inbound")).as("both others decoded").allSatisfy(
                    other -> assertThat(other.path("framesDecoded").asDouble()).isPositive());
            JsonNode selected = later.path("selected");
            assertThat(selected.path("protocol").asText()).as("the selected pair's protocol").isEqualTo("tcp");
            assertThat(selected.path("address").asText()).isEqualTo(namespace.address());
            assertThat(selected.path("port").asInt()).as("the HTTPS port, shared by ICE-TCP")
                    .isEqualTo(parley.httpPort());
        }
    }

    /** Runs the pre-join page's network check in a browser and returns what the page shows. */
    private JsonNode networkCheck(String kind, String link) throws Exception {
        Process process = namespace.startClient(List.of("env", "PARLEY_ACCEPT_INSECURE_CERTS=1",
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "network-check.mjs", kind, link), BROWSER_SCRIPTS, "check-" + kind, true);
        return JsonLines.of(process, "check-" + kind, namespace::logs).await(s -> s.has("outcome"), STEP_TIMEOUT);
    }

    /**
     * Every datagram to or from the media port is dropped inside the namespace, both ways, and so is every new TCP
     * connection (a bare SYN) to the server's address on any port but the HTTPS one. They are dropped where they
     * arrive (hook input), silently, as a firewall does: dropped in hook output, the sender's own send would fail at
     * once (EPERM), and a browser would learn of the block sooner than on any real network.
     */
    private void blockUdpAndOtherTcp(int mediaPort, int httpsPort) throws Exception {
        File rules = new File(namespace.logDir(), "no-udp.nft");
        Files.writeString(rules.toPath(), """
                table inet parley_no_udp {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    udp dport %1$d drop
                    udp sport %1$d drop
                    ip daddr %2$s tcp dport != %3$d tcp flags & (syn | ack) == syn drop
                  }
                }
                """.formatted(mediaPort, namespace.address(), httpsPort));
        namespace.exec("nft", "-f", rules.getAbsolutePath());
    }

    private JsonLines browser(String kind, String link, String name) throws IOException {
        Process process = namespace.startClient(List.of("env", "PARLEY_ACCEPT_INSECURE_CERTS=1",
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs", kind, link, name, "180"), BROWSER_SCRIPTS, name, true);
        return JsonLines.of(process, name, namespace::logs);
    }

    private static double frames(JsonNode stats) {
        double total = 0;
        for (JsonNode participant : stats.path("inbound")) {
            total += participant.path("framesDecoded").asDouble();
        }
        return total;
    }

    private static double audio(JsonNode stats) {
        double total = 0;
        for (JsonNode participant : stats.path("inbound")) {
            total += participant.path("audioPackets").asDouble();
        }
        return total;
    }
}
