package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ParleyProcess;
import dev.parley.testing.WebSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A burst of sign-ins against Parley on a small heap, at the default cost of a password hash (19 MiB of heap each
 * while it runs): every one is answered as a sign-in (a wrong password, or "try again shortly"), nothing runs out of
 * memory, and the right password still signs in afterwards. Parley runs as a process of its own, so that its heap is
 * the small one, and waits for no turn (max-wait 0), so that some sign-ins must be told to try again.
 */
class PasswordFloodTest {

    private static final Path LOGS = Path.of("target", "password-flood");
    private static final String ADMIN_EMAIL = "flood-admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final int SIGN_INS = 48;

    @Test
    void aBurstOfSignInsOnASmallHeapIsAnsweredAndTheServerStaysWell() throws Exception {
        Files.createDirectories(LOGS);
        List<String> arguments = List.of("--spring.datasource.url=jdbc:h2:mem:flood;DB_CLOSE_DELAY=-1",
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                // Every sign-in of the burst reaches the password check (they come from one address).
                "--parley.security.max-failed-logins-per-address=1000",
                "--parley.security.password-hashing.max-wait=0s");
        // 48 hashes at once would take 912 MiB: far more than this heap has.
        List<String> javaOptions = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                ParleyProcess.LEAK_TRACKING);
        try (ParleyProcess parley = ParleyProcess.builder().javaOptions(javaOptions).arguments(arguments)
                .log(LOGS.resolve("parley.log")).start(Duration.ofSeconds(90))) {
            List<WebSession> visitors = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < SIGN_INS; i++) {
                WebSession visitor = new WebSession(parley.baseUrl());
                tokens.add(visitor.get("/login").csrfToken());
                visitors.add(visitor);
            }

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(SIGN_INS);
            List<WebSession.Page> answers = new ArrayList<>();
            try {
                List<Future<WebSession.Page>> sent = new ArrayList<>();
                for (int i = 0; i < SIGN_INS; i++) {
                    WebSession visitor = visitors.get(i);
                    String token = tokens.get(i);
                    String email = "flood-" + i + "@parley.test";
                    sent.add(threads.submit(() -> {
                        go.await(30, TimeUnit.SECONDS);
                        return visitor.post("/login", token, Map.of("email", email, "password", "wrong-" + email));
                    }));
                }
                go.countDown();
                for (Future<WebSession.Page> answer : sent) {
                    answers.add(answer.get(120, TimeUnit.SECONDS));
                }
            } finally {
                threads.shutdownNow();
            }

            int busy = 0;
            for (int i = 0; i < SIGN_INS; i++) {
                WebSession.Page answer = answers.get(i);
                assertThat(answer.status()).as("sign-in %d: %s", i, answer.body()).isEqualTo(302);
                assertThat(answer.location()).as("sign-in %d", i).matches(".*/login\\?error=(bad|busy)$");
                if (answer.location().endsWith("busy")) {
                    busy++;
                    if (busy == 1) {
                        assertThat(visitors.get(i).follow(answer).text("login-error"))
                                .isEqualTo("Too many people are signing in at this moment. Try again in a few "
                                        + "seconds.");
                    }
                }
            }
            assertThat(busy).as("told to try again: one hash at a time fits this heap, and none waits").isPositive();
            assertThat(busy).as("not all: some were checked").isLessThan(SIGN_INS);

            new WebSession(parley.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(parley.isAlive()).isTrue();
            assertThat(Files.readString(parley.log())).doesNotContain("OutOfMemoryError")
                    .contains("Password hashing: Argon2id at 19456 KiB, 2 passes, 1 lanes; at most 1 at once");
        }
    }
}
