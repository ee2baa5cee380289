package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Sessions follow the account: what an admin changes about an account (role, access, password) holds on the next
 * request of every session and remember-me login that account already has, not only on its next sign-in.
 */
@ParleyWebTest
class AccountSessionsTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    RoomRepository rooms;

    WebSession admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
    }

    @Test
    void aDemotedAdminLosesTheAdminPagesAndCannotPromoteItselfBack() {
        UserAccount other = fixtures.user(Role.ADMIN);
        WebSession session = fixtures.signIn(other);
        String token = session.get("/admin/users/" + other.getId()).csrfToken();
        assertThat(session.get("/admin").status()).isEqualTo(200);

        adminPost("/admin/users/" + other.getId() + "/role", Map.of("role", "MEMBER"));

        assertThat(session.get("/admin").status()).isEqualTo(403);
        WebSession.Page promote = session.post("/admin/users/" + other.getId() + "/role", token, Map.of("role", "ADMIN"));
        assertThat(promote.status()).isEqualTo(403);
        assertThat(users.findById(other.getId()).orElseThrow().getRole()).isEqualTo(Role.MEMBER);
        // Still signed in, as what the account is now.
        WebSession.Page profile = session.get("/profile");
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.has("nav-admin")).isFalse();
    }

    @Test
    void aDeletedAdminsSessionCannotCreateAdmins() {
        UserAccount doomed = fixtures.user(Role.ADMIN);
        WebSession session = fixtures.signIn(doomed);
        String token = session.get("/admin/users/new").csrfToken();

        WebSession.Page deleted = adminPost("/admin/users/" + doomed.getId() + "/delete", Map.of());
        assertThat(deleted.location()).endsWith("/admin");
        assertThat(users.findById(doomed.getId())).isEmpty();

        String email = "sneaky-" + System.nanoTime() + "@parley.test";
        WebSession.Page create = session.post("/admin/users", token, Map.of("email", email, "displayName", "Sneaky",
                "role", "ADMIN", "newPassword", "Pumpkin-Orbit-Saxophone-7"));
        assertThat(create.status()).isEqualTo(302);
        assertThat(create.location()).contains("/login");
        assertThat(users.findByEmail(email)).isEmpty();
        assertThat(session.get("/admin").location()).endsWith("/login");
    }

    @Test
    void aDisabledHostIsSignedOutAndCannotCreateRooms() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession session = fixtures.signIn(host);
        String token = session.get("/rooms/new").csrfToken();

        WebSession sameAccountElsewhere = fixtures.signIn(host);

        adminPost("/admin/users/" + host.getId() + "/enabled", Map.of("enabled", "false"));

        Map<String, String> form = new LinkedHashMap<>(RoomForms.valid("After disable", ZoneId.of("UTC"), 60));
        WebSession.Page create = session.post("/rooms", token, form);
        assertThat(create.status()).isEqualTo(302);
        assertThat(create.location()).contains("/login");
        assertThat(rooms.findByHostIdOrderByStartsAtDesc(host.getId())).isEmpty();

        WebSession.Page page = sameAccountElsewhere.get("/rooms");
        assertThat(page.location()).endsWith("/login?ended");
        assertThat(sameAccountElsewhere.follow(page).text("login-session-ended")).contains("Sign in again");
    }

    @Test
    void aHostDemotedToMemberCannotCreateRoomsButAMemberPromotedToHostCanAtOnce() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession hostSession = fixtures.signIn(host);
        String token = hostSession.get("/rooms/new").csrfToken();
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession memberSession = fixtures.signIn(member);
        assertThat(memberSession.get("/rooms").status()).isEqualTo(403);

        adminPost("/admin/users/" + host.getId() + "/role", Map.of("role", "MEMBER"));
        adminPost("/admin/users/" + member.getId() + "/role", Map.of("role", "HOST"));

        WebSession.Page create = hostSession.post("/rooms", token, RoomForms.valid("Demoted", ZoneId.of("UTC"), 60));
        assertThat(create.status()).isEqualTo(403);
        assertThat(rooms.findByHostIdOrderByStartsAtDesc(host.getId())).isEmpty();
        assertThat(memberSession.get("/rooms").status()).isEqualTo(200);
        RoomForms.schedule(memberSession, RoomForms.valid("Promoted", ZoneId.of("UTC"), 60));
        assertThat(rooms.findByHostIdOrderByStartsAtDesc(member.getId())).hasSize(1);
    }

    @Test
    void aPasswordResetEndsEarlierSessionsAndRememberMeLogins() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession remembered = signInRemembered(member.getEmail(), Fixtures.PASSWORD);
        remembered.removeCookie("PARLEY_SESSION");
        assertThat(remembered.get("/profile").status()).as("signed in again by remember-me").isEqualTo(200);

        adminPost("/admin/users/" + member.getId() + "/reset-password", Map.of());

        assertThat(remembered.get("/profile").location()).endsWith("/login?ended");
        remembered.removeCookie("PARLEY_SESSION");
        assertThat(remembered.get("/profile").location()).endsWith("/login");
    }

    @Test
    void rememberMeDoesNotGetRoundTheForcedPasswordChange() {
        UserAccount member = fixtures.user(Role.MEMBER);
        adminPost("/admin/users/" + member.getId() + "/reset-password", Map.of());
        String temporary = admin.get("/admin/users/" + member.getId()).text("temporary-password");
        WebSession browser = signInRemembered(member.getEmail(), temporary);
        assertThat(browser.get("/profile").location()).contains("/profile/password?required");

        browser.removeCookie("PARLEY_SESSION");
        WebSession.Page page = browser.get("/profile");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).contains("/profile/password?required");
        assertThat(browser.cookie("PARLEY_SESSION")).as("signed in by remember-me").isPresent();
        assertThat(browser.get("/").location()).contains("/profile/password?required");
    }

    @Test
    void aReplayedRememberMeCookieEndsTheAccountsRememberMeLoginsWithoutAnError() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession owner = signInRemembered(member.getEmail(), Fixtures.PASSWORD);
        String stolen = owner.cookie(SignedInSessions.REMEMBER_ME_COOKIE).orElseThrow().getValue();
        owner.removeCookie("PARLEY_SESSION");
        assertThat(owner.get("/profile").status()).as("the owner's browser uses (and renews) the token").isEqualTo(200);

        WebSession thief = new WebSession(port);
        thief.addCookie(SignedInSessions.REMEMBER_ME_COOKIE, stolen);
        WebSession.Page replay = thief.get("/profile");
        assertThat(replay.status()).isEqualTo(302);
        assertThat(replay.location()).endsWith("/login?ended");

        owner.removeCookie("PARLEY_SESSION");
        assertThat(owner.get("/profile").location()).as("every remember-me login of the account ended")
                .endsWith("/login");
    }

    @Test
    void changingOwnPasswordKeepsThisSessionAndEndsTheOthers() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession here = fixtures.signIn(member);
        WebSession elsewhere = fixtures.signIn(member);

        WebSession.Page changed = here.submit("/profile/password", "/profile/password", Map.of(
                "currentPassword", Fixtures.PASSWORD, "newPassword", "Violet-Canyon-Ferry-4417",
                "confirmPassword", "Violet-Canyon-Ferry-4417"));
        assertThat(changed.location()).endsWith("/profile");

        assertThat(here.get("/profile").status()).isEqualTo(200);
        assertThat(elsewhere.get("/profile").location()).endsWith("/login?ended");
    }

    @Test
    void aDisabledAccountLeavesItsLiveMeeting() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession hostSession = fixtures.signIn(host);
        long roomId = RoomForms.schedule(hostSession, RoomForms.valid("Revoked", ZoneId.of("UTC"), 1));
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        UserAccount member = fixtures.user(Role.MEMBER);
        String value = fixtures.signIn(member).joinTicket(slug, "Member");

        try (SignalingClient client = SignalingClient.connect(port)) {
            client.send(Map.of("type", "join", "ticket", value, "audio", true, "video", true));
            client.next("welcome");
            adminPost("/admin/users/" + member.getId() + "/enabled", Map.of("enabled", "false"));
            assertThat(client.next("bye").path("reason").asText()).isEqualTo("removed");
            client.awaitClose(Duration.ofSeconds(5));
        }
    }

    @Test
    void aDisabledAccountWaitingInTheLobbyLeavesItAndTheHostIsTold() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession hostSession = fixtures.signIn(host);
        String slug = lobbyRoom(hostSession, "Revoked knock");
        UserAccount member = fixtures.user(Role.MEMBER);
        String value = fixtures.signIn(member).joinTicket(slug, "Member");

        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient client = SignalingClient.connect(port)) {
            hostClient.send(Map.of("type", "join", "ticket", hostSession.joinTicket(slug, "Host"), "audio", true,
                    "video", true));
            hostClient.next("welcome");
            client.send(Map.of("type", "join", "ticket", value, "audio", true, "video", true));
            client.next("lobby");
            String knock = hostClient.next("lobby-request").path("participant").path("id").asText();

            adminPost("/admin/users/" + member.getId() + "/enabled", Map.of("enabled", "false"));
            assertThat(client.next("bye").path("reason").asText()).isEqualTo("removed");
            assertThat(hostClient.next("lobby-resolved").path("participantId").asText())
                    .as("the request is off the host's list").isEqualTo(knock);
        }
    }

    @Test
    void aHostDemotedDuringTheMeetingLosesTheLobbyThere() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession hostSession = fixtures.signIn(host);
        String slug = lobbyRoom(hostSession, "Demoted live");

        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port)) {
            hostClient.send(Map.of("type", "join", "ticket", hostSession.joinTicket(slug, "Host"), "audio", true,
                    "video", true));
            assertThat(hostClient.next("welcome").path("host").asBoolean()).isTrue();

            adminPost("/admin/users/" + host.getId() + "/role", Map.of("role", "MEMBER"));
            var updated = hostClient.next("participant-updated").path("participant");
            assertThat(updated.path("host").asBoolean()).as("everyone is told, the person too").isFalse();

            guest.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, "Guest"), "audio", true,
                    "video", true));
            assertThat(guest.next("lobby").path("state").asText()).isEqualTo("waiting");
            hostClient.send(Map.of("type", "lobby-decision", "participantId", "anyone", "admit", true));
            hostClient.expectError("forbidden");
        }
    }

    /** A room with a lobby, open now, that the host scheduled; its slug. */
    private String lobbyRoom(WebSession host, String title) {
        Map<String, String> form = new LinkedHashMap<>(RoomForms.valid(title, ZoneId.of("UTC"), 1));
        form.put("lobbyEnabled", "true");
        return rooms.findById(RoomForms.schedule(host, form)).orElseThrow().getSlug();
    }

    private WebSession signInRemembered(String email, String password) {
        WebSession browser = new WebSession(port);
        WebSession.Page login = browser.submit("/login", "/login",
                Map.of("email", email, "password", password, "remember-me", "on"));
        assertThat(login.location()).doesNotContain("error");
        assertThat(browser.cookie(SignedInSessions.REMEMBER_ME_COOKIE)).isPresent();
        return browser;
    }

    private WebSession.Page adminPost(String action, Map<String, String> fields) {
        String token = admin.get("/admin").csrfToken();
        WebSession.Page result = admin.post(action, token, fields);
        assertThat(result.status()).as("admin action %s", action).isEqualTo(302);
        assertThat(result.location()).doesNotContain("/login");
        return result;
    }
}
