package dev.parley.accounts.sso;

import dev.parley.testing.PostgresSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Racing first sign-ins on a real PostgreSQL, in a database of its own. */
@ExtendWith(PostgresSupport.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "postgres"})
class PostgresSignInRaceTest extends SignInRaceContract {

    @DynamicPropertySource
    static void ownDatabaseAndDirectory(DynamicPropertyRegistry registry) throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        directory(registry);
    }
}
