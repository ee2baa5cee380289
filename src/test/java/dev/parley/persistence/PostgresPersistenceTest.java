package dev.parley.persistence;

import dev.parley.testing.PostgresSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The persistence contract on a real PostgreSQL, with the postgres profile's settings overridden by the endpoint. */
@ExtendWith(PostgresSupport.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles({"test", "postgres"})
class PostgresPersistenceTest extends PersistenceContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresSupport.endpoint().url());
        registry.add("spring.datasource.username", () -> PostgresSupport.endpoint().username());
        registry.add("spring.datasource.password", () -> PostgresSupport.endpoint().password());
    }
}
