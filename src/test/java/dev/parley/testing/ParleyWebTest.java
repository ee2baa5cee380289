package dev.parley.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application on a random port with an in-memory H2 database, driven over real HTTP. All classes with this
 * annotation share one Spring context, so tests create their own users and rooms with unique names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public @interface ParleyWebTest {

    String ADMIN_EMAIL = "admin@parley.test";
    String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
}
