package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class ActuatorAccessTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void healthIsPublicWithoutDetails() {
        WebSession.Page health = new WebSession(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components");
    }

    @Test
    void prometheusMetricsAreForAdminsOnly() {
        WebSession anonymous = new WebSession(port);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(302);

        WebSession member = fixtures.signedIn(Role.MEMBER).session();
        assertThat(member.get("/actuator/prometheus").status()).isEqualTo(403);
        WebSession host = fixtures.signedIn(Role.HOST).session();
        assertThat(host.get("/actuator/prometheus").status()).isEqualTo(403);

        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        WebSession.Page metrics = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests");
        assertThat(admin.get("/actuator/health").body()).contains("components");
    }
}
