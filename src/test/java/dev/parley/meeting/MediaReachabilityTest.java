package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.meeting.MediaReachability.Finding;
import dev.parley.testing.Coturn;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The start-up self-check of the announced media address: Parley with a public URL on a public address, a relay that
 * announces a loopback address, and Debian's coturn as the STUN server (PARLEY_STUN_SERVER), which sees this machine as
 * 127.0.0.1, an address the relay does not announce. Both are said in plain words in the log and on Admin → Live, in
 * English and Chinese.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "parley.rooms.public-url=https://203.0.113.10", "parley.media.announced-addresses=127.0.0.2"})
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class MediaReachabilityTest {

    private static Coturn coturn;

    @LocalServerPort
    int port;

    @Autowired
    MediaReachability reachability;

    @DynamicPropertySource
    static void stunServer(DynamicPropertyRegistry registry) throws Exception {
        int stunPort;
        try (ServerSocket free = new ServerSocket(0)) {
            stunPort = free.getLocalPort();
        }
        coturn = Coturn.start(null, "127.0.0.1", "127.0.0.1", stunPort, "reachability-test-secret-0123", List.of(),
                new File("target/media-reachability-test"));
        registry.add("parley.media.stun-server", () -> "127.0.0.1:" + stunPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void aLoopbackAddressForAPublicUrlAndAnAddressOnlyStunSeesAreReported(CapturedOutput output) {
        MediaReachability.Report report = reachability.report();
        assertThat(report.findings()).containsExactly(Finding.ANNOUNCED_LOOPBACK, Finding.STUN_DIFFERS);
        assertThat(report.discovered()).isEqualTo("127.0.0.1");
        assertThat(report.announced()).containsExactly("127.0.0.2");

        reachability.check(); // again, into this test's captured output
        assertThat(output).contains("The media address Parley announces to browsers (127.0.0.2) is a loopback address, "
                + "but the public URL https://203.0.113.10 is public", "Set PARLEY_MEDIA_ANNOUNCED_ADDRESSES",
                "The STUN server sees this machine as 127.0.0.1");

        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        WebSession.Page live = admin.get("/admin/live");
        assertThat(live.byTestId("media-announced").text()).isEqualTo("127.0.0.2");
        assertThat(live.byTestId("media-discovered").text()).startsWith("127.0.0.1");
        assertThat(live.byTestId("media-turn").text()).isEqualTo("none");
        assertThat(live.byTestId("media-warning-announced").text()).contains("(127.0.0.2) can be reached only from "
                + "this machine", "https://203.0.113.10", "PARLEY_MEDIA_ANNOUNCED_ADDRESSES", "PARLEY_TURN_URLS");
        assertThat(live.byTestId("media-warning-stun").text()).contains("sees this machine as 127.0.0.1");

        WebSession.Page chinese = admin.acceptLanguage("zh-CN").get("/admin/live");
        assertThat(chinese.byTestId("media-warning-announced").text()).contains("只有本机能访问");
        assertThat(chinese.byTestId("media-turn").text()).isEqualTo("无");
    }

    @Test
    void scopesOfAddressesAndPublicUrls() throws Exception {
        assertThat(AddressScope.of(InetAddress.getByName("127.0.0.1"))).isEqualTo(AddressScope.LOOPBACK);
        assertThat(AddressScope.of(InetAddress.getByName("10.1.2.3"))).isEqualTo(AddressScope.PRIVATE);
        assertThat(AddressScope.of(InetAddress.getByName("172.20.0.1"))).isEqualTo(AddressScope.PRIVATE);
        assertThat(AddressScope.of(InetAddress.getByName("192.168.1.9"))).isEqualTo(AddressScope.PRIVATE);
        assertThat(AddressScope.of(InetAddress.getByName("100.72.0.1"))).isEqualTo(AddressScope.PRIVATE);
        assertThat(AddressScope.of(InetAddress.getByName("fd00::1"))).isEqualTo(AddressScope.PRIVATE);
        assertThat(AddressScope.of(InetAddress.getByName("203.0.113.10"))).isEqualTo(AddressScope.PUBLIC);
        assertThat(AddressScope.of(InetAddress.getByName("2001:db8::1"))).isEqualTo(AddressScope.PUBLIC);

        assertThat(MediaReachability.publicScope("")).isNull();
        assertThat(MediaReachability.publicScope("https://localhost:8443")).isEqualTo(AddressScope.LOOPBACK);
        assertThat(MediaReachability.publicScope("https://192.168.1.9")).isEqualTo(AddressScope.PRIVATE);
        assertThat(MediaReachability.publicScope("https://[2001:db8::1]")).isEqualTo(AddressScope.PUBLIC);
    }

    @Test
    void theStunServerSettingIsCheckedAtStart() {
        assertThat(MediaReachability.stunServer("")).isNull();
        assertThat(MediaReachability.stunServer("stun.example.org").getPort()).isEqualTo(3478);
        assertThat(MediaReachability.stunServer("stun:stun.example.org:19302").getHostString())
                .isEqualTo("stun.example.org");
        assertThat(MediaReachability.stunServer("[2001:db8::1]:3478").getHostString()).isEqualTo("2001:db8::1");
        for (String bad : List.of("stun.example.org:99999", "http://stun.example.org/x", "user@stun.example.org",
                "stun.example.org:port")) {
            assertThatThrownBy(() -> MediaReachability.stunServer(bad)).hasMessageContaining("PARLEY_STUN_SERVER");
        }
    }
}
