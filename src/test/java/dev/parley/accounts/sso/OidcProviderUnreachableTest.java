package dev.parley.accounts.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An OpenID Connect issuer that takes the connection and never answers (a server socket this test opens and never
 * reads from): Parley starts all the same, says in its log that the provider cannot be reached, marks the provider's
 * button on the login page, sends a sign-in with it back to the login page with a message instead of waiting, and
 * local passwords still sign in. The provider's timeout is 1 s here.
 */
@ParleyWebTest
@ExtendWith(OutputCaptureExtension.class)
class OidcProviderUnreachableTest {

    private static ServerSocket silentIssuer;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void silentProvider(DynamicPropertyRegistry registry) throws IOException {
        // Connections complete in the socket's backlog; nothing is ever accepted, read or answered.
        silentIssuer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String issuer = "http://127.0.0.1:" + silentIssuer.getLocalPort() + "/realms/silent";
        registry.add("parley.oidc.silent.issuer", () -> issuer);
        registry.add("parley.oidc.silent.client-id", () -> "parley");
        registry.add("parley.oidc.silent.client-secret", () -> "not-used");
        registry.add("parley.oidc.silent.name", () -> "Silent IdP");
        registry.add("parley.oidc.silent.timeout", () -> "1s");
    }

    @AfterAll
    static void closeIssuer() throws IOException {
        silentIssuer.close();
    }

    @Test
    void parleyStartsSaysSoAndLocalLoginStillWorks(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains(
                "OpenID Connect provider silent cannot be reached"));
        assertThat(output.getAll()).contains("Parley runs without it");

        WebSession visitor = new WebSession(port);
        WebSession.Page login = visitor.get("/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("sso-silent")).isEqualTo("Sign in with Silent IdP");
        assertThat(login.text("sso-unreachable-silent")).startsWith("Silent IdP did not answer");
        assertThat(visitor.acceptLanguage("zh-CN").get("/login").text("sso-unreachable-silent"))
                .contains("Silent IdP").contains("没有应答");

        WebSession.Page refused = visitor.get("/oauth2/authorization/silent");
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).endsWith("/login?error=sso-unavailable");

        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        assertThat(admin.get("/admin").status()).isEqualTo(200);
    }
}
