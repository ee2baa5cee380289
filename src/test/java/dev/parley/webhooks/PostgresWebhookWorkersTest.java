package dev.parley.webhooks;

import dev.parley.testing.PostgresSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Two webhook delivery workers on one real PostgreSQL database, a database of this test's own. */
@ExtendWith(PostgresSupport.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "postgres"})
@TestPropertySource(properties = "parley.webhooks.poll-interval=100ms")
class PostgresWebhookWorkersTest extends WebhookWorkersContract {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }
}
