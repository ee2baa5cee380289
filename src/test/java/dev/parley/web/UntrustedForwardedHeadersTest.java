package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * X-Forwarded-For and X-Forwarded-Proto count only when they come from a configured proxy: here the only trusted
 * proxy is an address the test client is not, so its headers must change neither the client address that throttling
 * and the audit log see nor the scheme that decides Secure cookies. (From loopback, the default trusted proxy, they do
 * count: LoginTest relies on that.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.tomcat.remoteip.internal-proxies=10\\.99\\.99\\.99")
@ActiveProfiles("test")
class UntrustedForwardedHeadersTest {

    @LocalServerPort
    int port;

    @Autowired
    AuditEventRepository auditEvents;

    @Test
    void headersFromAnUntrustedClientAreIgnored() {
        Map<String, String> spoofed = Map.of("X-Forwarded-For", "192.0.2.77", "X-Forwarded-Proto", "https");
        WebSession browser = new WebSession(port);
        WebSession.Page form = browser.get("/login", spoofed);
        assertThat(form.header("Set-Cookie").orElseThrow()).doesNotContain("Secure");
        assertThat(form.header("Strict-Transport-Security")).isEmpty();

        String email = "spoof-" + System.nanoTime() + "@parley.test";
        browser.post("/login", form.csrfToken(), Map.of("email", email, "password", "whatever-it-is"), spoofed);
        assertThat(auditEvents.findAll()).filteredOn(e -> email.equals(e.getActor())).singleElement()
                .satisfies(e -> assertThat(e.getRemoteAddress()).isEqualTo("127.0.0.1"));
    }
}
