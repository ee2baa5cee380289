package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldif.LDIFReader;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.ApiClient;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every path that hashes a password or a passcode hashes outside any transaction: a hash may wait its turn for up to
 * ten seconds ({@link BoundedPasswordEncoder}), and a transaction holds one of the pool's few database connections all
 * along, so a burst of hashes inside transactions took the pool from every other page. Each path is driven over HTTP
 * (LDAP's first sign-in against an in-memory directory, the reset link through a real SMTP server), its hash held
 * until the test has seen the connection pool with no connection in use; every hash is also checked for a
 * transaction on its thread. The encoder is the application's own, wrapped to hold and to look.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class HashingOutsideTransactionsTest {

    private static final int PORT = freePort();
    private static final int DIRECTORY_PORT = freePort();
    private static final String NEW_PASSWORD = "Cobalt-Meadow-Trumpet-64";
    private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:" + PORT
            + "/reset-password\\?token=[A-Za-z0-9_-]+");
    private static InMemoryDirectoryServer directory;

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    @TestConfiguration
    static class HeldHashes {
        @Bean
        @Primary
        WatchedPasswordEncoder watchedPasswordEncoder(@Qualifier("passwordEncoder") PasswordEncoder encoder) {
            return new WatchedPasswordEncoder(encoder);
        }
    }

    enum Hash { ENCODE, MATCH }

    /** The application's encoder, which notes each hash made inside a transaction and holds the next when asked. */
    static final class WatchedPasswordEncoder implements PasswordEncoder {
        private final PasswordEncoder encoder;
        private final List<String> insideTransactions = new CopyOnWriteArrayList<>();
        private volatile Hash held;
        private volatile CountDownLatch reached = new CountDownLatch(0);
        private volatile CountDownLatch released = new CountDownLatch(0);

        WatchedPasswordEncoder(PasswordEncoder encoder) {
            this.encoder = encoder;
        }

        /** The next hash of this kind waits until {@link #release}; {@link #awaitHeld} tells when it does. */
        void holdNext(Hash kind) {
            released = new CountDownLatch(1);
            reached = new CountDownLatch(1);
            held = kind;
        }

        boolean awaitHeld() throws InterruptedException {
            return reached.await(10, TimeUnit.SECONDS);
        }

        void release() {
            held = null;
            released.countDown();
        }

        List<String> insideTransactions() {
            return insideTransactions;
        }

        @Override
        public String encode(CharSequence rawPassword) {
            look(Hash.ENCODE);
            return encoder.encode(rawPassword);
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            look(Hash.MATCH);
            return encoder.matches(rawPassword, encodedPassword);
        }

        @Override
        public boolean upgradeEncoding(String encodedPassword) {
            return encoder.upgradeEncoding(encodedPassword);
        }

        private void look(Hash kind) {
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                insideTransactions.add(kind + " from " + caller());
            }
            if (held == kind && reached.getCount() > 0) {
                reached.countDown();
                try {
                    released.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static String caller() {
            return StackWalker.getInstance().walk(frames -> frames
                    .filter(frame -> frame.getClassName().startsWith("dev.parley.")
                            && !frame.getClassName().startsWith(HashingOutsideTransactionsTest.class.getName()))
                    .findFirst().map(Object::toString).orElse("outside Parley"));
        }
    }

    @DynamicPropertySource
    static void mailAndDirectory(DynamicPropertyRegistry registry) throws Exception {
        registry.add("server.port", () -> PORT);
        registry.add("parley.rooms.public-url", () -> "http://127.0.0.1:" + PORT);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
        registry.add("spring.mail.properties.mail.smtp.starttls.enable", () -> "false");

        String base = "dc=parley,dc=test";
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(base);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(),
                DIRECTORY_PORT, null));
        directory = new InMemoryDirectoryServer(config);
        try (InputStream ldif = HashingOutsideTransactionsTest.class
                .getResourceAsStream("/dev/parley/accounts/sso/directory.ldif")) {
            directory.importFromLDIF(true, new LDIFReader(ldif));
        }
        directory.startListening();
        registry.add("parley.ldap.url", () -> "ldap://127.0.0.1:" + DIRECTORY_PORT);
        registry.add("parley.ldap.base", () -> base);
        registry.add("parley.ldap.user-search-base", () -> "ou=people");
        registry.add("parley.ldap.user-search-filter", () -> "(|(uid={0})(mail={0}))");
        registry.add("parley.ldap.group-search-base", () -> "ou=groups");
        registry.add("parley.ldap.timeout", () -> "2s");
    }

    @AfterAll
    static void stopDirectory() {
        directory.shutDown(true);
    }

    @Autowired
    WatchedPasswordEncoder hashes;

    @Autowired
    DataSource dataSource;

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    RoomRepository rooms;

    private final ExecutorService requests = Executors.newCachedThreadPool();

    @AfterEach
    void letGo() {
        hashes.release();
        requests.shutdownNow();
    }

    @Test
    void anAdminMakingAnAccountOrResettingItsPasswordHashesOutsideATransaction() throws Exception {
        WebSession admin = new WebSession(PORT).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        String byForm = "by-form-" + System.nanoTime() + "@parley.test";
        WebSession.Page made = whileHeld(Hash.ENCODE, "the admin's form", () -> admin.submit("/admin/users/new",
                "/admin/users", Map.of("email", byForm, "displayName", "By Form", "role", "MEMBER",
                        "newPassword", NEW_PASSWORD)));
        assertThat(made.location()).as("made: %s", made.body()).contains("/admin/users/");
        new WebSession(PORT).login(byForm, NEW_PASSWORD);

        String token = ApiClient.makeToken(admin, "Users", null, "USERS_READ", "USERS_WRITE");
        String byApi = "by-api-" + System.nanoTime() + "@parley.test";
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", byApi);
        user.put("displayName", "By API");
        user.put("role", "HOST");
        user.put("password", NEW_PASSWORD);
        ApiClient.Response created = whileHeld(Hash.ENCODE, "the API",
                () -> new ApiClient(PORT).send("POST", "/api/v1/users", token, user));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        new WebSession(PORT).login(byApi, NEW_PASSWORD);

        String raced = "raced-" + System.nanoTime() + "@parley.test";
        user.put("email", raced);
        ApiClient.Response taken = whileHeld(Hash.ENCODE, "the API, for an address the form takes meanwhile",
                () -> new ApiClient(PORT).send("POST", "/api/v1/users", token, user),
                () -> assertThat(admin.submit("/admin/users/new", "/admin/users", Map.of("email", raced,
                        "displayName", "Raced", "role", "MEMBER", "newPassword", NEW_PASSWORD)).location())
                        .contains("/admin/users/"));
        assertThat(taken.problem(409).path("detail").asText()).contains("exists already");
        assertThat(users.findByEmail(raced).orElseThrow().getDisplayName()).isEqualTo("Raced");

        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page page = admin.get("/admin/users/" + member.getId());
        WebSession.Page reset = whileHeld(Hash.ENCODE, "the admin's password reset", () -> admin.post(
                "/admin/users/" + member.getId() + "/reset-password", page.csrfToken(), Map.of()));
        String temporary = admin.follow(reset).text("temporary-password");
        new WebSession(PORT).login(member.getEmail(), temporary);
    }

    @Test
    void aPasswordChangeChecksTheCurrentPasswordAndHashesTheNewOneOutsideATransaction() throws Exception {
        Fixtures.SignedIn member = fixtures.signedIn(Role.MEMBER);
        WebSession browser = member.session();
        Map<String, String> form = Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", NEW_PASSWORD,
                "confirmPassword", NEW_PASSWORD);
        WebSession.Page checked = whileHeld(Hash.MATCH, "the current password's check",
                () -> browser.submit("/profile/password", "/profile/password", form));
        assertThat(checked.location()).as("changed: %s", checked.body()).endsWith("/profile");

        WebSession.Page back = whileHeld(Hash.ENCODE, "the new password's hash",
                () -> browser.submit("/profile/password", "/profile/password", Map.of("currentPassword", NEW_PASSWORD,
                        "newPassword", Fixtures.PASSWORD, "confirmPassword", Fixtures.PASSWORD)));
        assertThat(back.location()).as("changed back: %s", back.body()).endsWith("/profile");

        WebSession.Page mismatched = whileHeld(Hash.MATCH, "a form with errors, whose current password is checked too",
                () -> browser.submit("/profile/password", "/profile/password", Map.of("currentPassword", "not-it",
                        "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD + "!")));
        assertThat(mismatched.status()).isEqualTo(200);
        assertThat(mismatched.text("error-currentPassword")).isNotBlank();
        assertThat(mismatched.text("error-confirmPassword")).isNotBlank();
        new WebSession(PORT).login(member.account().getEmail(), Fixtures.PASSWORD);
    }

    @Test
    void aResetLinkHashesTheNewPasswordOutsideATransaction() throws Exception {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession browser = new WebSession(PORT);
        WebSession.Page request = browser.get("/forgot-password");
        browser.post("/forgot-password", request.csrfToken(), Map.of("email", member.getEmail()));
        assertThat(MAIL.waitForIncomingEmail(10_000, 1)).as("the mail arrives").isTrue();
        MimeMessage mail = MAIL.getReceivedMessages()[MAIL.getReceivedMessages().length - 1];
        Matcher link = LINK.matcher((String) mail.getContent());
        assertThat(link.find()).isTrue();
        String token = link.group().substring(link.group().indexOf("token=") + 6);

        WebSession.Page form = browser.get(link.group());
        WebSession.Page done = whileHeld(Hash.ENCODE, "the reset", () -> browser.post("/reset-password",
                form.csrfToken(), Map.of("token", token, "newPassword", NEW_PASSWORD,
                        "confirmPassword", NEW_PASSWORD)));
        assertThat(done.location()).as("reset: %s", done.body()).endsWith("/login?reset");
        new WebSession(PORT).login(member.getEmail(), NEW_PASSWORD);
        assertThat(new WebSession(PORT).get(link.group()).status()).as("the link works once").isEqualTo(410);
    }

    @Test
    void aRoomsPasscodeIsHashedOutsideATransactionByTheFormAndTheApi() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        Map<String, String> fields = RoomForms.valid("Passcode room", ZoneId.of("Europe/Berlin"), 60);
        fields.put("passcode", "first-code");
        long id = whileHeld(Hash.ENCODE, "a new room's passcode",
                () -> RoomForms.schedule(host.session(), fields));

        fields.put("passcode", "second-code");
        WebSession.Page changed = whileHeld(Hash.ENCODE, "a changed passcode",
                () -> host.session().submit("/rooms/" + id + "/edit", "/rooms/" + id, fields));
        assertThat(changed.location()).as("changed: %s", changed.body()).endsWith("/rooms/" + id);
        String stored = rooms.findById(id).orElseThrow().getPasscodeHash();
        assertThat(hashes.matches("second-code", stored)).as("the new passcode").isTrue();

        String token = ApiClient.makeToken(host.session(), "Rooms", null, "ROOMS_READ", "ROOMS_WRITE");
        Map<String, Object> room = new LinkedHashMap<>(Map.of("title", "API passcode room", "timeZone",
                "Europe/Berlin", "durationMinutes", 30, "passcode", "third-code", "start",
                RoomForms.local(java.time.LocalDateTime.now(ZoneId.of("Europe/Berlin")).plusHours(1))));
        ApiClient.Response created = whileHeld(Hash.ENCODE, "the API's new room",
                () -> new ApiClient(PORT).send("POST", "/api/v1/rooms", token, room));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("passcodeSet").asBoolean()).isTrue();
        long apiRoom = created.json().path("id").asLong();
        room.put("passcode", "fourth-code");
        ApiClient.Response updated = whileHeld(Hash.ENCODE, "the API's changed room",
                () -> new ApiClient(PORT).send("PUT", "/api/v1/rooms/" + apiRoom, token, room));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().path("title").asText()).isEqualTo("API passcode room");
        assertThat(hashes.matches("fourth-code", rooms.findById(apiRoom).orElseThrow().getPasscodeHash())).isTrue();
    }

    @Test
    void aDirectorysPersonSigningInTheFirstTimeGetsTheAccountsHashOutsideATransaction() throws Exception {
        WebSession mia = new WebSession(PORT);
        WebSession.Page signedIn = whileHeld(Hash.ENCODE, "the first sign-in's account",
                () -> mia.submit("/login", "/login", Map.of("email", "mia", "password", "Mia-Directory-Pass-3")));
        assertThat(signedIn.location()).as("signed in").doesNotContain("error");
        assertThat(users.findByEmail("mia@ldap.test")).as("the account made").isPresent();
        assertThat(mia.get("/profile").status()).isEqualTo(200);
    }

    /**
     * Sends the request with the next hash of this kind held, and sees the pool with no connection in use meanwhile
     * (another part of the application may take one for a moment, so it waits for a moment with none; a connection
     * held by the held request never goes back); then lets it go and returns its answer. No hash of the request may
     * have run inside a transaction.
     */
    private <T> T whileHeld(Hash kind, String what, Callable<T> request) throws Exception {
        return whileHeld(kind, what, request, () -> { });
    }

    /** As above, and does something else while the hash is held, after the look at the pool. */
    private <T> T whileHeld(Hash kind, String what, Callable<T> request, Runnable meanwhile) throws Exception {
        hashes.insideTransactions().clear();
        hashes.holdNext(kind);
        Future<T> answer = requests.submit(request);
        try {
            assertThat(hashes.awaitHeld()).as("%s hashes", what).isTrue();
            assertThat(noConnectionInUseWithin(5_000))
                    .as("while %s waits for its hash, no database connection is in use", what).isTrue();
            meanwhile.run();
        } finally {
            hashes.release();
        }
        T result = answer.get(30, TimeUnit.SECONDS);
        assertThat(hashes.insideTransactions()).as("hashes inside a transaction, for %s", what).isEmpty();
        return result;
    }

    private boolean noConnectionInUseWithin(long millis) throws InterruptedException {
        HikariDataSource pool;
        try {
            pool = dataSource.unwrap(HikariDataSource.class);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("not Hikari's pool", e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (pool.getHikariPoolMXBean().getActiveConnections() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
