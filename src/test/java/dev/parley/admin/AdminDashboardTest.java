package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;

@ParleyWebTest
class AdminDashboardTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    RoomRepository rooms;

    @Autowired
    PersistentTokenRepository rememberMeTokens;

    WebSession admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
    }

    @Test
    void createsAUserWithARoleWhoCanThenSignIn() {
        WebSession.Page created = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "New.Host@Example.org", "displayName", "New Host", "role", "HOST",
                "newPassword", "Pumpkin-Orbit-Saxophone-7"));
        assertThat(created.status()).isEqualTo(302);
        WebSession.Page page = admin.follow(created);
        assertThat(page.text("admin-user-email")).isEqualTo("new.host@example.org");
        assertThat(page.text("admin-user-role")).isEqualTo("Host");

        new WebSession(port).login("new.host@example.org", "Pumpkin-Orbit-Saxophone-7");
        assertThat(admin.get("/admin/audit?action=USER_CREATED").byTestId("audit-table").text())
                .contains("new.host@example.org").contains(ParleyWebTest.ADMIN_EMAIL).contains("127.0.0.1");
    }

    @Test
    void userFormRejectsBadInputWithFieldMessages() {
        UserAccount existing = fixtures.user(Role.MEMBER);
        WebSession.Page duplicate = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", existing.getEmail(), "displayName", "Dup", "role", "MEMBER",
                "newPassword", "Pumpkin-Orbit-Saxophone-7"));
        assertThat(duplicate.text("error-email")).contains("exists already");

        WebSession.Page invalid = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "not-an-address", "displayName", "", "role", "MEMBER", "newPassword", "short"));
        assertThat(invalid.text("error-email")).contains("valid e-mail");
        assertThat(invalid.text("error-displayName")).contains("display name");

        WebSession.Page weak = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "weak@parley.test", "displayName", "Weak", "role", "MEMBER", "newPassword", "password123"));
        assertThat(weak.text("error-newPassword")).contains("too easy to guess");

        WebSession.Page tooShort = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "short@parley.test", "displayName", "Short", "role", "MEMBER", "newPassword", "abc"));
        assertThat(tooShort.text("error-newPassword")).contains("at least 10");

        WebSession.Page oversized = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "x".repeat(300) + "@parley.test", "displayName", "y".repeat(200), "role", "MEMBER",
                "newPassword", "Pumpkin-Orbit-Saxophone-7"));
        assertThat(oversized.status()).isEqualTo(200);
        assertThat(oversized.has("error-email")).isTrue();
        assertThat(oversized.has("error-displayName")).isTrue();

        WebSession.Page badRole = admin.submit("/admin/users/new", "/admin/users", Map.of(
                "email", "role@parley.test", "displayName", "Role", "role", "SUPERUSER",
                "newPassword", "Pumpkin-Orbit-Saxophone-7"));
        assertThat(badRole.status()).isEqualTo(200);
        assertThat(users.findByEmail("role@parley.test")).isEmpty();
        assertThat(users.findByEmail("weak@parley.test")).isEmpty();
    }

    @Test
    void searchesSortsAndPagesUsers() {
        for (int i = 0; i < 23; i++) {
            fixtures.user(Role.MEMBER, "pager");
        }
        WebSession.Page first = admin.get("/admin?q=pager&sort=email&dir=asc");
        List<String> emails = first.html().select("[data-testid=admin-user-row]").eachAttr("data-email");
        assertThat(emails).hasSize(20).allMatch(e -> e.startsWith("pager-")).isSorted();
        assertThat(first.has("pager-next")).isTrue();

        WebSession.Page second = admin.get(first.byTestId("pager-next").attr("href"));
        assertThat(second.html().select("[data-testid=admin-user-row]")).hasSizeGreaterThanOrEqualTo(3);

        List<String> descending = admin.get("/admin?q=pager&sort=email&dir=desc").html()
                .select("[data-testid=admin-user-row]").eachAttr("data-email");
        assertThat(descending).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(admin.get("/admin?q=%25").html().select("[data-testid=admin-user-row]"))
                .as("a %% in the search is a literal, not a wildcard").isEmpty();
        assertThat(admin.get("/admin?sort=passwordHash").status()).as("unknown sort falls back").isEqualTo(200);
    }

    @Test
    void disablesAndEnablesAccounts() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page page = admin.get("/admin/users/" + member.getId());
        admin.post("/admin/users/" + member.getId() + "/enabled", page.csrfToken(), Map.of("enabled", "false"));
        WebSession.Page refused = new WebSession(port).submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD));
        assertThat(refused.location()).endsWith("error=disabled");

        admin.post("/admin/users/" + member.getId() + "/enabled", page.csrfToken(), Map.of("enabled", "true"));
        fixtures.signIn(member);
    }

    @Test
    void changesRoles() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page page = admin.get("/admin/users/" + member.getId());
        WebSession.Page changed = admin.follow(admin.post("/admin/users/" + member.getId() + "/role", page.csrfToken(),
                Map.of("role", "HOST")));
        assertThat(changed.text("flash")).isEqualTo("Role changed.");
        assertThat(users.findById(member.getId()).orElseThrow().getRole()).isEqualTo(Role.HOST);
        fixtures.signIn(member).get("/rooms/new");
    }

    @Test
    void resetPasswordShowsATemporaryPasswordThatMustBeChanged() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page page = admin.get("/admin/users/" + member.getId());
        WebSession.Page reset = admin.follow(admin.post("/admin/users/" + member.getId() + "/reset-password",
                page.csrfToken(), Map.of()));
        String temporary = reset.text("temporary-password");
        assertThat(temporary).hasSize(16);
        assertThat(admin.get("/admin/users/" + member.getId()).has("temporary-password"))
                .as("shown once").isFalse();

        WebSession user = new WebSession(port).login(member.getEmail(), temporary);
        WebSession.Page anywhere = user.get("/profile");
        assertThat(anywhere.location()).contains("/profile/password?required");
        WebSession.Page changed = user.submit("/profile/password", "/profile/password", Map.of(
                "currentPassword", temporary, "newPassword", "Walnut-Gazebo-Telescope-3",
                "confirmPassword", "Walnut-Gazebo-Telescope-3"));
        assertThat(changed.location()).endsWith("/profile");
        assertThat(user.get("/profile").status()).isEqualTo(200);
    }

    @Test
    void deletingAUserWhoHostsRoomsAsksWhatHappensToThem() {
        UserAccount heir = fixtures.user(Role.HOST, "heir");
        Fixtures.SignedIn leaving = fixtures.signedIn(Role.HOST, "leaving");
        long roomId = leaving.scheduleRoom("Inherited", 60);

        WebSession.Page confirm = admin.get("/admin/users/" + leaving.account().getId() + "/delete");
        assertThat(confirm.byTestId("delete-user-form").text()).contains("1 room");
        WebSession.Page noChoice = admin.follow(admin.post("/admin/users/" + leaving.account().getId() + "/delete",
                confirm.csrfToken(), Map.of()));
        assertThat(noChoice.text("flash-error")).contains("Choose what happens");
        assertThat(users.findById(leaving.account().getId())).isPresent();

        WebSession.Page deleted = admin.post("/admin/users/" + leaving.account().getId() + "/delete",
                confirm.csrfToken(), Map.of("rooms", "TRANSFER", "transferTo", String.valueOf(heir.getId())));
        assertThat(deleted.location()).endsWith("/admin");
        assertThat(users.findById(leaving.account().getId())).isEmpty();
        assertThat(rooms.findWithHostById(roomId).orElseThrow().getHost().getId()).isEqualTo(heir.getId());
    }

    /** Their rooms go, and a meeting under way in one of them ends, as when a room is deleted on its own. */
    @Test
    void deletingWithTheirRooms() {
        Fixtures.SignedIn leaving = fixtures.signedIn(Role.HOST, "leaving");
        long roomId = leaving.scheduleRoom("Doomed", 1);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        try (SignalingClient guest = SignalingClient.connect(port)) {
            guest.send(SignalingClient.join(new WebSession(port).joinTicket(slug, "Gil")));
            guest.next("welcome");
            WebSession.Page confirm = admin.get("/admin/users/" + leaving.account().getId() + "/delete");
            admin.post("/admin/users/" + leaving.account().getId() + "/delete", confirm.csrfToken(),
                    Map.of("rooms", "DELETE"));
            assertThat(users.findById(leaving.account().getId())).isEmpty();
            assertThat(rooms.findById(roomId)).isEmpty();
            assertThat(guest.next("bye").path("reason").asText()).as("the meeting in the room ended")
                    .isEqualTo("room-closed");
        }
    }

    @Test
    void theLastAdminCannotBeRemovedOrDemoted() {
        long adminId = users.findByEmail(ParleyWebTest.ADMIN_EMAIL).orElseThrow().getId();
        assertThat(users.countByRoleAndEnabledTrue(Role.ADMIN)).as("no test creates other admins").isEqualTo(1);
        WebSession.Page page = admin.get("/admin/users/" + adminId);
        WebSession.Page demoted = admin.follow(admin.post("/admin/users/" + adminId + "/role", page.csrfToken(),
                Map.of("role", "MEMBER")));
        assertThat(demoted.text("flash-error")).contains("last active admin");
        assertThat(users.findById(adminId).orElseThrow().getRole()).isEqualTo(Role.ADMIN);

        WebSession.Page disableSelf = admin.follow(admin.post("/admin/users/" + adminId + "/enabled", page.csrfToken(),
                Map.of("enabled", "false")));
        assertThat(disableSelf.text("flash-error")).isNotBlank();
        WebSession.Page deleteSelf = admin.follow(admin.post("/admin/users/" + adminId + "/delete", page.csrfToken(),
                Map.of()));
        assertThat(deleteSelf.text("flash-error")).isNotBlank();
        assertThat(users.findById(adminId).orElseThrow().isEnabled()).isTrue();
    }

    @Test
    void nonAdminsCannotReachTheDashboard() {
        UserAccount host = fixtures.user(Role.HOST);
        UserAccount member = fixtures.user(Role.MEMBER);
        for (UserAccount account : List.of(host, member)) {
            WebSession session = fixtures.signIn(account);
            String token = session.get("/profile").csrfToken();
            assertThat(session.get("/admin").status()).isEqualTo(403);
            assertThat(session.get("/admin/audit").status()).isEqualTo(403);
            assertThat(session.get("/admin/rooms").status()).isEqualTo(403);
            WebSession.Page post = session.post("/admin/users", token, Map.of("email", "evil@parley.test",
                    "displayName", "Evil", "role", "ADMIN", "newPassword", "Pumpkin-Orbit-Saxophone-7"));
            assertThat(post.status()).isEqualTo(403);
            assertThat(session.post("/admin/users/" + account.getId() + "/role", token, Map.of("role", "ADMIN")).status())
                    .isEqualTo(403);
        }
        assertThat(users.findByEmail("evil@parley.test")).isEmpty();
        assertThat(users.findById(member.getId()).orElseThrow().getRole()).isEqualTo(Role.MEMBER);
    }

    @Test
    void auditLogIsFilterable() {
        UserAccount member = fixtures.user(Role.MEMBER, "audited");
        WebSession.Page page = admin.get("/admin/users/" + member.getId());
        admin.post("/admin/users/" + member.getId() + "/role", page.csrfToken(), Map.of("role", "HOST"));
        WebSession.Page log = admin.get("/admin/audit?action=USER_ROLE_CHANGED&q=" + member.getEmail());
        List<Element> rows = log.html().select("[data-testid=audit-row]");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).text()).contains("changed the role").contains("Member → Host")
                .contains(ParleyWebTest.ADMIN_EMAIL);
    }

    @Test
    void anAdminCorrectsAnAccountsEmailAndNameAndTheUserSignsInWithTheNewAddress() {
        UserAccount member = fixtures.user(Role.MEMBER, "renamed");
        WebSession signedIn = fixtures.signIn(member);
        WebSession rememberedLogin = new WebSession(port);
        rememberedLogin.submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD, "remember-me", "on"));
        String rememberMe = rememberedLogin.cookie(SignedInSessions.REMEMBER_ME_COOKIE).orElseThrow().getValue();
        String series = URLDecoder.decode(new String(Base64.getDecoder().decode(rememberMe), StandardCharsets.UTF_8)
                .split(":")[0], StandardCharsets.UTF_8);
        assertThat(rememberMeTokens.getTokenForSeries(series)).isNotNull();

        WebSession.Page form = admin.get("/admin/users/" + member.getId());
        assertThat(form.byTestId("edit-user-email").val()).isEqualTo(member.getEmail());
        assertThat(form.byTestId("edit-user-name").val()).isEqualTo(member.getDisplayName());
        String newEmail = "Corrected-" + member.getId() + "@Example.ORG";
        WebSession.Page saved = admin.follow(admin.post("/admin/users/" + member.getId(), form.csrfToken(),
                Map.of("email", newEmail, "displayName", "  Ada Corrected ")));
        assertThat(saved.text("flash")).isEqualTo("Account details saved.");
        assertThat(saved.text("admin-user-email")).isEqualTo(newEmail.toLowerCase(Locale.ROOT));
        assertThat(saved.text("admin-user-heading")).isEqualTo("Ada Corrected");

        // The e-mail address is the login name: the user's sessions and remember-me logins ended with the old one.
        assertThat(signedIn.get("/profile").location()).endsWith("/login?ended");
        WebSession remembered = new WebSession(port);
        remembered.addCookie(SignedInSessions.REMEMBER_ME_COOKIE, rememberMe);
        assertThat(remembered.get("/profile").location()).contains("/login");
        assertThat(rememberMeTokens.getTokenForSeries(series)).isNull();
        assertThat(new WebSession(port).submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD)).location()).contains("/login?error");
        WebSession again = new WebSession(port).login(newEmail, Fixtures.PASSWORD);
        assertThat(again.get("/profile").text("profile-email")).isEqualTo(newEmail.toLowerCase(Locale.ROOT));

        List<Element> rows = admin.get("/admin/audit?action=USER_UPDATED&q=" + member.getId() + "@example.org")
                .html().select("[data-testid=audit-row]");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.selectFirst("[data-testid=audit-what]").text()).isEqualTo("changed the account's e-mail or name");
            assertThat(row.selectFirst("[data-testid=audit-details]").text()).isEqualTo("E-mail: " + member.getEmail()
                    + " → " + newEmail.toLowerCase(Locale.ROOT) + " · Name: " + member.getDisplayName() + " → Ada Corrected");
            assertThat(row.selectFirst("[data-testid=audit-who]").text()).isEqualTo(ParleyWebTest.ADMIN_EMAIL);
        });
        assertThat(admin.acceptLanguage("zh-CN").get("/admin/audit?action=USER_UPDATED&q=" + member.getId()
                + "@example.org").text("audit-details")).startsWith("邮箱：" + member.getEmail() + " → ");
    }

    @Test
    void aNewDisplayNameAloneKeepsTheUsersSessions() {
        UserAccount member = fixtures.user(Role.MEMBER, "keeps");
        WebSession signedIn = fixtures.signIn(member);
        WebSession.Page form = admin.get("/admin/users/" + member.getId());
        WebSession.Page saved = admin.follow(admin.post("/admin/users/" + member.getId(), form.csrfToken(),
                Map.of("email", member.getEmail().toUpperCase(Locale.ROOT), "displayName", "Still Here")));
        assertThat(saved.text("flash")).isEqualTo("Account details saved.");
        WebSession.Page profile = signedIn.get("/profile");
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.text("profile-email")).isEqualTo(member.getEmail());
        assertThat(users.findById(member.getId()).orElseThrow().getDisplayName()).isEqualTo("Still Here");

        WebSession.Page unchanged = admin.follow(admin.post("/admin/users/" + member.getId(), form.csrfToken(),
                Map.of("email", member.getEmail(), "displayName", "Still Here")));
        assertThat(unchanged.text("flash")).isEqualTo("Nothing was changed.");
    }

    @Test
    void accountCorrectionsAreValidated() {
        UserAccount member = fixtures.user(Role.MEMBER, "checked");
        UserAccount other = fixtures.user(Role.MEMBER, "taken");
        String path = "/admin/users/" + member.getId();
        String token = admin.get(path).csrfToken();
        WebSession.Page taken = admin.post(path, token,
                Map.of("email", other.getEmail().toUpperCase(Locale.ROOT), "displayName", "Checked"));
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.text("error-email")).isEqualTo("An account with this e-mail address exists already.");
        assertThat(taken.byTestId("edit-user-email").val()).as("the input is kept")
                .isEqualTo(other.getEmail().toUpperCase(Locale.ROOT));

        WebSession.Page invalid = admin.post(path, token, Map.of("email", "not-an-address", "displayName", " "));
        assertThat(invalid.text("error-email")).isEqualTo("Enter a valid e-mail address.");
        assertThat(invalid.text("error-displayName")).isEqualTo("Please enter a display name.");
        String longButWellFormed = "x".repeat(60) + "@" + (("d".repeat(63) + ".").repeat(3)) + "org";
        WebSession.Page tooLong = admin.post(path, token,
                Map.of("email", longButWellFormed, "displayName", "n".repeat(101)));
        assertThat(tooLong.text("error-email")).isEqualTo("Use at most 254 characters for the e-mail address.");
        assertThat(tooLong.text("error-displayName")).isEqualTo("Keep the display name under 100 characters.");
        WebSession.Page invisible = admin.post(path, token, Map.of("email", member.getEmail(), "displayName", "\u200B"));
        assertThat(invisible.text("error-displayName")).contains("readable text");
        WebSession.Page chinese = admin.acceptLanguage("zh-CN").post(path, token,
                Map.of("email", other.getEmail(), "displayName", "Checked"));
        assertThat(chinese.has("error-email")).isTrue();
        assertThat(chinese.text("error-email")).doesNotContain("exists already");
        admin.acceptLanguage("en");

        UserAccount unchanged = users.findById(member.getId()).orElseThrow();
        assertThat(unchanged.getEmail()).isEqualTo(member.getEmail());
        assertThat(unchanged.getDisplayName()).isEqualTo(member.getDisplayName());
        assertThat(admin.get("/admin/audit?action=USER_UPDATED&q=" + member.getEmail()).has("audit-row")).isFalse();
    }

    @Test
    void onlyAdminsCorrectAccountsAndOnlyWithTheFormsToken() {
        UserAccount victim = fixtures.user(Role.MEMBER, "victim");
        Map<String, String> change = Map.of("email", "stolen-" + victim.getId() + "@parley.test", "displayName", "Stolen");
        for (Role role : List.of(Role.MEMBER, Role.HOST)) {
            WebSession session = fixtures.signIn(fixtures.user(role));
            String token = session.get("/profile").csrfToken();
            assertThat(session.get("/admin/users/" + victim.getId()).status()).isEqualTo(403);
            assertThat(session.post("/admin/users/" + victim.getId(), token, change).status()).isEqualTo(403);
        }
        WebSession anonymous = new WebSession(port);
        String anonymousToken = anonymous.get("/login").csrfToken();
        assertThat(anonymous.post("/admin/users/" + victim.getId(), anonymousToken, change).location())
                .endsWith("/login");
        assertThat(admin.postRaw("/admin/users/" + victim.getId(), change).status()).as("no CSRF token").isEqualTo(403);
        assertThat(users.findById(victim.getId()).orElseThrow().getEmail()).isEqualTo(victim.getEmail());
    }

    @Test
    void anAdminWhoChangesTheirOwnAddressStaysSignedInHereOnly() {
        UserAccount second = fixtures.user(Role.ADMIN, "second-admin");
        try {
            WebSession here = fixtures.signIn(second);
            WebSession elsewhere = fixtures.signIn(second);
            String newEmail = "moved-" + second.getId() + "@parley.test";
            WebSession.Page saved = here.follow(here.post("/admin/users/" + second.getId(),
                    here.get("/admin/users/" + second.getId()).csrfToken(),
                    Map.of("email", newEmail, "displayName", second.getDisplayName())));
            assertThat(saved.text("flash")).isEqualTo("Account details saved.");
            assertThat(here.get("/admin").status()).isEqualTo(200);
            assertThat(here.get("/profile").text("profile-email")).isEqualTo(newEmail);
            assertThat(elsewhere.get("/admin").location()).endsWith("/login?ended");
        } finally {
            // Other tests count on one active admin.
            WebSession.Page page = admin.get("/admin/users/" + second.getId());
            admin.post("/admin/users/" + second.getId() + "/enabled", page.csrfToken(), Map.of("enabled", "false"));
        }
    }
}
