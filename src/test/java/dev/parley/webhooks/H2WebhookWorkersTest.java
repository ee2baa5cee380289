package dev.parley.webhooks;

import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Two webhook delivery workers on one H2 database, a database of this test's own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestPropertySource(properties = "parley.webhooks.poll-interval=100ms")
class H2WebhookWorkersTest extends WebhookWorkersContract {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:webhooks-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
    }
}
