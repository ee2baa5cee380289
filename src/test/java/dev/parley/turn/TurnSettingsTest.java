package dev.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import dev.parley.ParleyApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** PARLEY_TURN_*: what is accepted, what stops the start with a clear message, and what browsers are given. */
class TurnSettingsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @ValueSource(strings = {"turn:turn.example.org", "turn:turn.example.org:3478?transport=udp",
            "TURN:turn.example.org:3478?transport=TCP", "turns:turn.example.org:443", "turn:203.0.113.7:3478",
            "turn:[2001:db8::7]:3478", "turns:turn.example.org:443?transport=tcp"})
    void turnUrlsAreAccepted(String url) {
        assertThat(TurnUrl.parse(url).url()).isEqualTo(url.toLowerCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stun:stun.example.org", "turn://turn.example.org", "https://turn.example.org",
            "turn:", "turn:turn.example.org:0", "turn:turn.example.org:70000", "turn:turn.example.org:3478?transport=sctp",
            "turns:turn.example.org:443?transport=udp", "turn:user@turn.example.org", "turn:turn.example.org/path",
            "turn:turn example.org", "turn:-bad.example.org"})
    void otherUrlsAreRefusedWithTheirReason(String url) {
        assertThatThrownBy(() -> TurnUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(url.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"turns:203.0.113.7:5349", "turns:203.0.113.7", "turns:[2001:db8::7]:443?transport=tcp"})
    void turnOverTlsToAnAddressIsRefusedBecauseFirefoxSkipsIt(String url) {
        assertThatThrownBy(() -> TurnUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(url).hasMessageContaining("host name").hasMessageContaining("Firefox");
    }

    @Test
    void badSettingsStopTheStartWithAMessageThatNamesThem() {
        ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class);
        runner.withPropertyValues("parley.turn.urls=turn:turn.example.org,stun:stun.example.org",
                "parley.turn.secret=" + SECRET).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("PARLEY_TURN_URLS").hasMessageContaining("stun:"));
        runner.withPropertyValues("parley.turn.urls=turn:turn.example.org").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("PARLEY_TURN_SECRET is empty"));
        runner.withPropertyValues("parley.turn.secret=" + SECRET).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("PARLEY_TURN_URLS is empty"));
        runner.withPropertyValues("parley.turn.urls=turn:turn.example.org", "parley.turn.secret=short").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("shorter than 16"));
        runner.withPropertyValues("parley.turn.urls=turn:turn.example.org", "parley.turn.secret=" + SECRET,
                "parley.turn.credential-lifetime=10s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("PARLEY_TURN_CREDENTIAL_LIFETIME"));
        runner.run(context -> assertThat(context.getBean(TurnProperties.class).enabled()).isFalse());
    }

    @Test
    void eachPeerGetsTheUrlsWithItsOwnCredentialAndTheSecretIsNeverShown() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        TurnProperties properties = new TurnProperties(List.of(" turn:turn.example.org:3478?transport=udp",
                "", "TURNS:turn.example.org:443 "), SECRET, Duration.ofHours(24));
        List<IceServer> servers = new TurnServers(properties, clock).forPeer("p-ada");

        assertThat(servers).singleElement().satisfies(server -> {
            assertThat(server.urls()).containsExactly("turn:turn.example.org:3478?transport=udp",
                    "turns:turn.example.org:443");
            assertThat(server.username()).isEqualTo((1_700_000_000L + 86_400) + ":p-ada");
            assertThat(server.credential()).isEqualTo(TurnCredentials.password(
                    SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), server.username()));
            assertThat(server.toString()).doesNotContain(server.credential());
        });
        assertThat(properties.toString()).doesNotContain(SECRET);
        assertThat(TurnServers.none().forPeer("p-ada")).isEmpty();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void parleyStopsAtStartWithTheReasonAndWithoutPrintingTheSecret(CapturedOutput output) {
        String secret = "tiny-" + Long.toHexString(System.nanoTime() & 0xffff); // under 16 characters
        assertThatThrownBy(() -> new SpringApplicationBuilder(ParleyApplication.class).run("--server.port=0",
                "--parley.media.port=0", "--spring.datasource.url=jdbc:h2:mem:turn-settings;DB_CLOSE_DELAY=-1",
                "--parley.turn.urls=turn:turn.example.org", "--parley.turn.secret=" + secret))
                .hasStackTraceContaining("PARLEY_TURN_SECRET is shorter than 16 characters");
        assertThat(output).contains("PARLEY_TURN_SECRET is shorter than 16 characters").doesNotContain(secret);
    }

    @EnableConfigurationProperties(TurnProperties.class)
    static class Settings {
    }
}
