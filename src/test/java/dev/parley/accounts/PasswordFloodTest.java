package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ApiClient;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bursts of what hashes a password (sign-ins, room passcodes, new accounts by form and by API) against Parley on a
 * small heap, at the default cost of a hash (19 MiB of heap each while it runs): every request is answered as what it
 * is (done, a wrong password, or "try again in a few seconds"), nothing runs out of memory, and the server carries on.
 * Parley runs as a process of its own, so that its heap is the small one (one hash at a time fits), and lets no
 * request wait for its turn (max-wait 0), so that some must be told to try again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordFloodTest {

    private static final Path LOGS = Path.of("target", "password-flood");
    private static final String ADMIN_EMAIL = "flood-admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final int BURST = 48;

    private ParleyProcess parley;
    private WebSession admin;

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(LOGS);
        List<String> arguments = List.of("--spring.datasource.url=jdbc:h2:mem:flood;DB_CLOSE_DELAY=-1",
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD,
                // Every request of a burst reaches the hash (they all come from one address).
                "--parley.security.max-failed-logins-per-address=1000",
                "--parley.security.password-hashing.max-wait=0s");
        // 48 hashes at once would take 912 MiB: far more than this heap has.
        List<String> javaOptions = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                ParleyProcess.LEAK_TRACKING);
        parley = ParleyProcess.builder().javaOptions(javaOptions).arguments(arguments)
                .log(LOGS.resolve("parley.log")).start(Duration.ofSeconds(90));
        admin = new WebSession(parley.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        if (parley != null) {
            try {
                assertThat(parley.isAlive()).isTrue();
                assertThat(Files.readString(parley.log())).doesNotContain("OutOfMemoryError")
                        .contains("Password hashing: Argon2id at 19456 KiB, 2 passes, 1 lanes; at most 1 at once");
            } finally {
                parley.close();
            }
        }
    }

    @Test
    void aBurstOfSignInsIsAnsweredWithWrongPasswordOrTryAgainAndTheRightOneSignsInAfter() throws Exception {
        List<WebSession> visitors = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            WebSession visitor = new WebSession(parley.baseUrl());
            tokens.add(visitor.get("/login").csrfToken());
            visitors.add(visitor);
        }

        List<WebSession.Page> answers = atOnce(i -> () -> visitors.get(i).post("/login", tokens.get(i),
                Map.of("email", "flood-" + i + "@parley.test", "password", "wrong-" + i)));

        int busy = 0;
        for (int i = 0; i < BURST; i++) {
            WebSession.Page answer = answers.get(i);
            assertThat(answer.status()).as("sign-in %d: %s", i, answer.body()).isEqualTo(302);
            assertThat(answer.location()).as("sign-in %d", i).matches(".*/login\\?error=(bad|busy)$");
            if (answer.location().endsWith("busy") && busy++ == 0) {
                assertThat(visitors.get(i).follow(answer).text("login-error"))
                        .isEqualTo("Too many people are signing in at this moment. Try again in a few seconds.");
            }
        }
        assertThat(busy).as("told to try again").isBetween(1, BURST - 1);

        new WebSession(parley.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    @Test
    void aBurstOfRightPasscodesUnlocksTheRoomOrSaysTryAgainAndCountsNoWrongOne() throws Exception {
        Map<String, String> form = RoomForms.valid("Flooded", ZoneId.of("UTC"), 5);
        form.put("passcode", "open-sesame");
        String path = RoomForms.path(RoomForms.link(admin, RoomForms.schedule(admin, form)));
        List<WebSession> guests = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            WebSession guest = new WebSession(parley.baseUrl());
            tokens.add(guest.get(path).csrfToken());
            guests.add(guest);
        }

        List<WebSession.Page> answers = atOnce(i -> () -> guests.get(i).post(path + "/passcode", tokens.get(i),
                Map.of("passcode", "open-sesame")));

        int busy = 0;
        int unlocked = 0;
        for (int i = 0; i < BURST; i++) {
            WebSession.Page next = guests.get(i).follow(answers.get(i));
            if (next.has("passcode-error")) {
                assertThat(next.text("passcode-error")).as("guest %d", i)
                        .isEqualTo("Too many passcodes are being checked at this moment. Try again in a few seconds.");
                busy++;
            } else {
                assertThat(next.has("join-button")).as("guest %d unlocked the room: %s", i, next.body()).isTrue();
                unlocked++;
            }
        }
        assertThat(busy).as("told to try again").isPositive();
        assertThat(unlocked).as("let in").isPositive();
    }

    @Test
    void aBurstOfNewAccountsByFormAndByApiCreatesEachOrSaysTryAgainAndKeepsNothingHalfDone() throws Exception {
        String csrf = admin.get("/admin/users/new").csrfToken();
        List<WebSession.Page> forms = atOnce(i -> () -> admin.post("/admin/users", csrf, Map.of(
                "email", "form-" + i + "@parley.test", "displayName", "Form " + i, "role", "MEMBER",
                "newPassword", ADMIN_PASSWORD)));
        int busy = 0;
        for (int i = 0; i < BURST; i++) {
            WebSession.Page answer = forms.get(i);
            if (answer.status() == 302) {
                assertThat(answer.location()).as("form %d", i).matches(".*/admin/users/\\d+$");
            } else {
                assertThat(answer.status()).as("form %d: %s", i, answer.body()).isEqualTo(200);
                assertThat(answer.text("form-errors")).isEqualTo("Too many passwords are being checked at this "
                        + "moment, so nothing was changed. Try again in a few seconds.");
                assertThat(admin.get("/admin/users?q=form-" + i + "@").body()).as("form %d: no account", i)
                        .doesNotContain("form-" + i + "@parley.test");
                busy++;
            }
        }
        assertThat(busy).as("forms told to try again").isBetween(1, BURST - 1);

        WebSession.Page tokenPage = admin.follow(admin.post("/profile/api-tokens",
                admin.get("/profile/api-tokens").csrfToken(), Map.of("name", "Flood", "scopes", "USERS_WRITE")));
        String token = tokenPage.byTestId("api-token-secret").attr("value");
        ApiClient api = new ApiClient(parley.port());
        List<ApiClient.Response> created = atOnce(i -> () -> api.send("POST", "/api/v1/users", token, Map.of(
                "email", "api-" + i + "@parley.test", "displayName", "Api " + i, "role", "MEMBER",
                "password", ADMIN_PASSWORD)));
        busy = 0;
        for (int i = 0; i < BURST; i++) {
            ApiClient.Response answer = created.get(i);
            if (answer.status() != 201) {
                assertThat(answer.problem(503).path("detail").asText()).as("API %d", i).isEqualTo("Too many "
                        + "passwords are being checked at this moment, so nothing was changed. Try again in a few "
                        + "seconds.");
                assertThat(answer.header("Retry-After")).as("API %d", i).contains("5");
                busy++;
            }
        }
        assertThat(busy).as("API calls told to try again").isBetween(1, BURST - 1);
    }

    /** Sends BURST requests as nearly at once as threads allow; their answers in order. */
    private static <T> List<T> atOnce(IntFunction<Callable<T>> request) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(BURST);
        try {
            List<Future<T>> sent = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                Callable<T> one = request.apply(i);
                sent.add(threads.submit(() -> {
                    go.await(30, TimeUnit.SECONDS);
                    return one.call();
                }));
            }
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> answer : sent) {
                answers.add(answer.get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }
}
