package dev.parley.accounts.sso;

import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Racing first sign-ins on H2, in an in-memory database no other test writes to. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class H2SignInRaceTest extends SignInRaceContract {

    @DynamicPropertySource
    static void ownDatabaseAndDirectory(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:sso-race-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
        directory(registry);
    }
}
