package dev.parley.accounts.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldif.LDIFReader;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.WebSession;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A person's first two sign-ins at the same moment (two browser tabs, a double click), over real HTTP through the LDAP
 * password form, many times: both sign in, to one account with one link to the directory, made once. Both sign-ins
 * find no account and make one; the database's unique constraints let only one of them through, and the other then
 * uses the account the first made instead of failing. OpenID Connect sign-ins provision accounts the same way
 * ({@link ExternalSignIns}). Each database gets a subclass with a database of its own.
 */
abstract class SignInRaceContract {

    private static final String BASE = "dc=parley,dc=test";
    private static final int ROUNDS = 12;
    private static InMemoryDirectoryServer directory;

    @LocalServerPort
    int port;

    @Autowired
    UserAccountRepository users;

    @Autowired
    ExternalIdentityRepository identities;

    @Autowired
    AuditEventRepository auditEvents;

    /** An in-memory directory (directory.ldif, plus the people each round adds) for this class's context. */
    static synchronized void directory(DynamicPropertyRegistry registry) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(),
                0, null));
        directory = new InMemoryDirectoryServer(config);
        try (InputStream ldif = SignInRaceContract.class.getResourceAsStream("directory.ldif")) {
            directory.importFromLDIF(true, new LDIFReader(ldif));
        }
        directory.startListening();
        int port = directory.getListenPort();
        registry.add("parley.ldap.url", () -> "ldap://127.0.0.1:" + port);
        registry.add("parley.ldap.base", () -> BASE);
        registry.add("parley.ldap.user-search-base", () -> "ou=people");
        registry.add("parley.ldap.user-search-filter", () -> "(uid={0})");
        registry.add("parley.ldap.timeout", () -> "5s");
    }

    @AfterAll
    static synchronized void stopDirectory() {
        directory.shutDown(true);
    }

    @Test
    void twoFirstSignInsAtOnceBothSignInToOneAccount() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String uid = "racer-" + round + "-" + System.nanoTime() % 100_000;
                String password = "Racer-Pass-" + round + "-x";
                String email = uid + "@ldap.test";
                directory.add("dn: uid=" + uid + ",ou=people," + BASE, "objectClass: top", "objectClass: person",
                        "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "uid: " + uid,
                        "cn: Racer " + round, "sn: Racer", "mail: " + email, "userPassword: " + password);
                WebSession first = new WebSession(port);
                WebSession second = new WebSession(port);
                String firstToken = first.get("/login").csrfToken();
                String secondToken = second.get("/login").csrfToken();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<WebSession.Page>> results = List.of(
                        pool.submit(() -> signIn(first, firstToken, uid, password, start)),
                        pool.submit(() -> signIn(second, secondToken, uid, password, start)));
                for (Future<WebSession.Page> result : results) {
                    WebSession.Page page = result.get(60, TimeUnit.SECONDS);
                    assertThat(page.status()).as("round %d: %s", round, page.body()).isEqualTo(302);
                    assertThat(page.location()).as("round %d", round).doesNotContain("/login");
                }
                assertThat(first.get("/profile").status()).as("signed in").isEqualTo(200);
                assertThat(second.get("/profile").status()).as("signed in").isEqualTo(200);

                UserAccount account = users.findByEmail(email).orElseThrow();
                assertThat(identities.findAll().stream().filter(i -> i.getSubject().startsWith("uid=" + uid + ","))
                        .toList()).singleElement().satisfies(i -> assertThat(i.getUserId())
                        .isEqualTo(account.getId()));
                assertThat(auditEvents.findAll().stream().filter(e -> e.getAction()
                        .equals(AuditAction.USER_CREATED.name()) && email.equals(e.getTarget())).count())
                        .as("made once").isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static WebSession.Page signIn(WebSession session, String csrfToken, String uid, String password,
                                          CyclicBarrier start) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        return session.post("/login", csrfToken, Map.of("email", uid, "password", password));
    }
}
