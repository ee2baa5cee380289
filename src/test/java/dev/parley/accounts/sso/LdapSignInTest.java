package dev.parley.accounts.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFReader;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in with an LDAP directory's password through the ordinary form, against UnboundID's in-memory directory
 * (directory.ldif): the account is made at the first sign-in with the role its groups give and follows them at every
 * sign-in; a wrong password gets the usual answer; an address that a local account already has is not taken over; a
 * directory that is down is said to be down, while the local admin still signs in.
 */
@ParleyWebTest
class LdapSignInTest {

    private static final String BASE = "dc=parley,dc=test";
    private static final int DIRECTORY_PORT = freePort();
    private static InMemoryDirectoryServer directory;

    @LocalServerPort
    int port;

    @Autowired
    UserAccountRepository users;

    @Autowired
    ExternalIdentityRepository identities;

    @Autowired
    AuditEventRepository auditEvents;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(),
                DIRECTORY_PORT, null));
        directory = new InMemoryDirectoryServer(config);
        try (InputStream ldif = LdapSignInTest.class.getResourceAsStream("directory.ldif")) {
            directory.importFromLDIF(true, new LDIFReader(ldif));
        }
        directory.startListening();
        registry.add("parley.ldap.url", () -> "ldap://127.0.0.1:" + DIRECTORY_PORT);
        registry.add("parley.ldap.base", () -> BASE);
        registry.add("parley.ldap.user-search-base", () -> "ou=people");
        registry.add("parley.ldap.user-search-filter", () -> "(|(uid={0})(mail={0}))");
        registry.add("parley.ldap.group-search-base", () -> "ou=groups");
        registry.add("parley.ldap.admin-groups", () -> "parley-admins");
        registry.add("parley.ldap.host-groups", () -> "Parley-Hosts");
        registry.add("parley.ldap.timeout", () -> "2s");
    }

    @AfterAll
    static void stopDirectory() {
        directory.shutDown(true);
    }

    @Test
    void theRightPasswordMakesTheAccountWithTheRoleOfItsGroupsAndTheRoleFollowsTheGroups() throws Exception {
        WebSession ann = new WebSession(port).login("ann", "Ann-Directory-Pass-1");
        assertThat(ann.get("/admin").status()).isEqualTo(200);
        UserAccount annAccount = users.findByEmail("ann@ldap.test").orElseThrow();
        assertThat(annAccount.getRole()).isEqualTo(Role.ADMIN);
        assertThat(annAccount.getDisplayName()).isEqualTo("Ann Directory");
        assertThat(identities.findByIssuerAndSubject("ldap", "uid=ann,ou=people," + BASE)).isPresent();
        assertThat(audited(AuditAction.USER_CREATED, "ann@ldap.test")).isEqualTo(1);
        assertThat(audited(AuditAction.LOGIN_SUCCEEDED, "ann@ldap.test")).isEqualTo(1);

        // By e-mail address too (the search filter allows it); a host reaches the rooms but not the admin pages.
        WebSession hal = new WebSession(port).login("hal@ldap.test", "Hal-Directory-Pass-2");
        assertThat(hal.get("/rooms").status()).isEqualTo(200);
        assertThat(hal.get("/admin").status()).isEqualTo(403);

        WebSession mia = new WebSession(port).login("mia", "Mia-Directory-Pass-3");
        assertThat(mia.get("/rooms").status()).isEqualTo(403);
        assertThat(users.findByEmail("mia@ldap.test").orElseThrow().getRole()).isEqualTo(Role.MEMBER);

        // The directory makes Mia a host: her next sign-in brings the role, and the same account is used.
        directory.modify("cn=parley-hosts,ou=groups," + BASE, new Modification(ModificationType.ADD, "member",
                "uid=mia,ou=people," + BASE));
        WebSession miaAgain = new WebSession(port).login("mia", "Mia-Directory-Pass-3");
        assertThat(miaAgain.get("/rooms").status()).isEqualTo(200);
        assertThat(users.findByEmail("mia@ldap.test").orElseThrow().getRole()).isEqualTo(Role.HOST);
        assertThat(audited(AuditAction.USER_CREATED, "mia@ldap.test")).isEqualTo(1);
        assertThat(audited(AuditAction.USER_ROLE_CHANGED, "mia@ldap.test")).isEqualTo(1);
        // Her first session takes the new role on its next request, as after an admin's change.
        assertThat(mia.get("/rooms").status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordGetsTheUsualAnswerAndALocalAccountsAddressIsNotTakenOver() {
        WebSession wrong = new WebSession(port);
        WebSession.Page refused = wrong.submit("/login", "/login",
                Map.of("email", "hal", "password", "Not-Hals-Password-9"));
        assertThat(refused.location()).endsWith("/login?error=bad");
        assertThat(wrong.follow(refused).text("login-error")).isEqualTo("Wrong e-mail or password.");

        // The directory vouches for "impostor", whose mail is the local admin's: no sign-in, and no link.
        WebSession impostor = new WebSession(port);
        WebSession.Page taken = impostor.submit("/login", "/login",
                Map.of("email", "impostor", "password", "Impostor-Pass-4"));
        assertThat(taken.location()).endsWith("/login?error=sso-email-taken");
        assertThat(impostor.follow(taken).text("login-error")).contains("already exists but is not linked");
        assertThat(identities.findByIssuerAndSubject("ldap", "uid=impostor,ou=people," + BASE)).isEmpty();
        assertThat(impostor.get("/admin").status()).isEqualTo(302);

        // The form takes user names, not only e-mail addresses, and says so.
        WebSession.Page form = new WebSession(port).get("/login");
        assertThat(form.byTestId("login-email").attr("type")).isEqualTo("text");
    }

    @Test
    void aDirectoryThatIsDownIsSaidToBeDownAndLocalAccountsStillSignIn() throws Exception {
        directory.shutDown(true);
        try {
            WebSession session = new WebSession(port);
            WebSession.Page refused = session.submit("/login", "/login",
                    Map.of("email", "ann", "password", "Ann-Directory-Pass-1"));
            assertThat(refused.location()).endsWith("/login?error=unavailable");
            assertThat(session.follow(refused).text("login-error")).contains("the directory does not answer");
            new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        } finally {
            directory.startListening();
        }
    }

    private long audited(AuditAction action, String target) {
        return auditEvents.findAll().stream()
                .filter(e -> e.getAction().equals(action.name()) && target.equals(e.getTarget())).count();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
