package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.ApiClient;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The REST API over real HTTP, with tokens made on the profile page: rooms, meetings and users; every scope refused
 * where it is missing; a token that follows its owner's role and account; revoked and expired tokens; problem
 * details for bad JSON, field errors, missing and forbidden things; the rate limit.
 */
@ParleyWebTest
class ApiTest {

    private static final String[] ALL_HOST_SCOPES = {"ROOMS_READ", "ROOMS_WRITE", "MEETINGS_READ", "MEETINGS_WRITE"};
    private static final String[] ALL_SCOPES = {"ROOMS_READ", "ROOMS_WRITE", "MEETINGS_READ", "MEETINGS_WRITE",
            "USERS_READ", "USERS_WRITE"};

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    AccountService accounts;

    @Autowired
    AuditEventRepository audit;

    @Autowired
    JdbcTemplate jdbc;

    private ApiClient api() {
        return new ApiClient(port);
    }

    private WebSession admin() {
        return new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
    }

    private long adminId() {
        return accounts.search(ParleyWebTest.ADMIN_EMAIL, org.springframework.data.domain.PageRequest.of(0, 1))
                .getContent().get(0).getId();
    }

    static Map<String, Object> room(String title, int minutesFromNow) {
        Map<String, Object> room = new LinkedHashMap<>();
        room.put("title", title);
        room.put("start", LocalDateTime.now(ZoneId.of("Europe/Berlin")).plusMinutes(minutesFromNow)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
        room.put("timeZone", "Europe/Berlin");
        room.put("durationMinutes", 45);
        return room;
    }

    @Test
    void aHostSchedulesListsChangesAndCancelsRooms() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-host");
        String token = ApiClient.makeToken(host.session(), "Learning platform", 30, "ROOMS_READ", "ROOMS_WRITE");

        ApiClient.Response created = api().send("POST", "/api/v1/rooms", token, room("Physics 101", 60));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode room = created.json();
        long id = room.path("id").asLong();
        assertThat(created.header("Location").orElseThrow()).endsWith("/api/v1/rooms/" + id);
        assertThat(room.path("title").asText()).isEqualTo("Physics 101");
        assertThat(room.path("state").asText()).isEqualTo("UPCOMING");
        assertThat(room.path("hostId").asLong()).isEqualTo(host.account().getId());
        assertThat(room.path("joinUrl").asText()).isEqualTo("http://127.0.0.1:" + port + "/r/"
                + room.path("slug").asText());
        assertThat(room.path("durationMinutes").asInt()).isEqualTo(45);
        assertThat(room.path("maxParticipants").asInt()).as("the form's default").isEqualTo(25);

        JsonNode list = api().get("/api/v1/rooms", token).json();
        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(list.path("items").get(0).path("id").asLong()).isEqualTo(id);
        assertThat(api().get("/api/v1/rooms/" + id, token).json().path("slug").asText())
                .isEqualTo(room.path("slug").asText());

        Map<String, Object> changed = room("Physics 101 (moved)", 120);
        changed.put("lobbyEnabled", true);
        ApiClient.Response updated = api().send("PUT", "/api/v1/rooms/" + id, token, changed);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().path("title").asText()).isEqualTo("Physics 101 (moved)");
        assertThat(updated.json().path("lobbyEnabled").asBoolean()).isTrue();
        assertThat(host.session().get("/rooms/" + id).body()).as("the host's page shows the change")
                .contains("Physics 101 (moved)");

        ApiClient.Response cancelled = api().send("POST", "/api/v1/rooms/" + id + "/cancel", token, null);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asText()).isEqualTo("CANCELLED");

        List<String> actions = audit.findAll().stream()
                .filter(e -> host.account().getId().equals(e.getActorId())).map(e -> e.getAction()).toList();
        assertThat(actions).as("audited as the token's owner").contains("API_TOKEN_CREATED", "ROOM_CREATED",
                "ROOM_UPDATED", "ROOM_CANCELLED");
    }

    @Test
    void aHostSeesOnlyTheirRoomsAndAnAdminSeesAll() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-own");
        Fixtures.SignedIn other = fixtures.signedIn(Role.HOST, "api-other");
        long othersRoom = other.scheduleRoom("Not yours", 60);
        String token = ApiClient.makeToken(host.session(), "Mine", null, ALL_HOST_SCOPES);
        assertThat(api().get("/api/v1/rooms", token).json().path("total").asLong()).isZero();
        JsonNode forbidden = api().get("/api/v1/rooms/" + othersRoom, token).problem(403);
        assertThat(forbidden.path("detail").asText()).contains("host");
        api().send("PUT", "/api/v1/rooms/" + othersRoom, token, room("Taken over", 60)).problem(403);
        api().send("POST", "/api/v1/rooms/" + othersRoom + "/cancel", token, null).problem(403);
        api().get("/api/v1/meetings/" + othersRoom, token).problem(403);

        String adminToken = ApiClient.makeToken(admin(), "Admin's", null, "ROOMS_READ");
        assertThat(api().get("/api/v1/rooms/" + othersRoom, adminToken).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/rooms?size=100", adminToken).json().path("total").asLong()).isPositive();
    }

    @Test
    void everyOperationRefusesATokenWithoutItsScope() {
        WebSession admin = admin();
        Map<ApiScope, String> lacking = new LinkedHashMap<>();
        for (ApiScope missing : ApiScope.values()) {
            String[] others = EnumSet.complementOf(EnumSet.of(missing)).stream().map(Enum::name)
                    .toArray(String[]::new);
            lacking.put(missing, ApiClient.makeToken(admin, "All but " + missing.wireName(), 1, others));
        }
        for (ApiAccess.Rule rule : ApiAccess.RULES) {
            String path = rule.path().replace("{id}", "1").replace("{roomId}", "1")
                    .replace("{participantId}", "p-none").replace("{recordingId}", "no-such-recording");
            JsonNode problem = api().call(rule.method().name(), path, lacking.get(rule.scope()),
                    rule.method().name().matches("POST|PUT") ? "{}" : null, Map.of()).problem(403);
            assertThat(problem.path("title").asText()).as(rule.toString()).isEqualTo("Not allowed");
            if (rule.method() == HttpMethod.GET) {
                // Spring MVC answers HEAD with the GET handler, so HEAD must meet the same rule.
                assertThat(api().call("HEAD", path, lacking.get(rule.scope()), null, Map.of()).status())
                        .as("HEAD of %s", rule).isEqualTo(403);
            }
        }
    }

    @Test
    void hostsCannotGiveTokensTheUsersScopesNorUseUserEndpoints() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-no-users");
        WebSession.Page page = host.session().get("/profile/api-tokens");
        assertThat(page.has("api-token-scope-users:read")).isFalse();
        assertThat(page.has("api-token-scope-rooms:read")).isTrue();
        String body = "name=Sneaky&expiresInDays=&scopes=ROOMS_READ&scopes=USERS_READ";
        WebSession.Page refused = host.session().postBody("/profile/api-tokens", page.csrfToken(),
                "application/x-www-form-urlencoded", body.getBytes());
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.text("error-scopes")).isEqualTo("Only admins may give a token the users scopes.");
        String token = ApiClient.makeToken(host.session(), "Rooms", null, ALL_HOST_SCOPES);
        api().get("/api/v1/users", token).problem(403);
        assertThat(api().call("HEAD", "/api/v1/users/" + adminId(), token, null, Map.of()).status())
                .as("HEAD too").isEqualTo(403);

        assertThat(host.session().get("/profile").byTestId("profile-api-tokens-link").attr("href"))
                .isEqualTo("/profile/api-tokens");
        Fixtures.SignedIn member = fixtures.signedIn(Role.MEMBER, "api-member");
        assertThat(member.session().get("/profile").has("profile-api-tokens")).isFalse();
        assertThat(member.session().get("/profile/api-tokens").status()).as("members have no tokens")
                .isEqualTo(403);
    }

    @Test
    void aTokenLosesWhatItsOwnerLosesAtTheNextRequest() {
        UserAccount hostAccount = fixtures.user(Role.HOST, "api-demoted");
        String hostToken = ApiClient.makeToken(fixtures.signIn(hostAccount), "Demote me", null, ALL_HOST_SCOPES);
        assertThat(api().get("/api/v1/rooms", hostToken).status()).isEqualTo(200);
        accounts.changeRole(hostAccount.getId(), Role.MEMBER, adminId());
        api().get("/api/v1/rooms", hostToken).problem(403);
        api().get("/api/v1/meetings", hostToken).problem(403);
        accounts.changeRole(hostAccount.getId(), Role.HOST, adminId());
        assertThat(api().get("/api/v1/rooms", hostToken).status()).as("a host again").isEqualTo(200);

        UserAccount adminAccount = fixtures.user(Role.ADMIN, "api-admin-demoted");
        String adminToken = ApiClient.makeToken(fixtures.signIn(adminAccount), "Demote me", null, ALL_SCOPES);
        assertThat(api().get("/api/v1/users", adminToken).status()).isEqualTo(200);
        accounts.changeRole(adminAccount.getId(), Role.HOST, adminId());
        api().get("/api/v1/users", adminToken).problem(403);
        assertThat(api().get("/api/v1/rooms", adminToken).status()).as("still a host").isEqualTo(200);

        accounts.setEnabled(adminAccount.getId(), false, adminId());
        ApiClient.Response disabled = api().get("/api/v1/rooms", adminToken);
        disabled.problem(401);
        assertThat(disabled.header("WWW-Authenticate").orElseThrow()).contains("Bearer").contains("invalid_token");
        accounts.delete(hostAccount.getId(), adminId());
        api().get("/api/v1/rooms", hostToken).problem(401);
    }

    @Test
    void revokedExpiredMissingAndWrongTokensAreRefused() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-revoke");
        String token = ApiClient.makeToken(host.session(), "Revoke me", 7, "ROOMS_READ");
        String expiring = ApiClient.makeToken(host.session(), "Expire me", 1, "ROOMS_READ");
        assertThat(api().get("/api/v1/rooms", token).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/rooms", expiring).status()).isEqualTo(200);

        WebSession.Page page = host.session().get("/profile/api-tokens");
        assertThat(page.html().select("[data-testid=api-token-row]")).hasSize(2);
        assertThat(page.has("api-token-secret")).as("a secret is shown once only").isFalse();
        String revokeAction = page.html().select("[data-token-name='Revoke me'] form").attr("action");
        WebSession.Page revoked = host.session().follow(host.session().post(revokeAction, page.csrfToken(), Map.of()));
        assertThat(revoked.text("flash")).isEqualTo("Token revoked; it no longer works.");
        api().get("/api/v1/rooms", token).problem(401);

        jdbc.update("update api_token set expires_at = ? where name = ? and user_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), "Expire me",
                host.account().getId());
        api().get("/api/v1/rooms", expiring).problem(401);

        ApiClient.Response none = api().get("/api/v1/rooms", null);
        none.problem(401);
        assertThat(none.header("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer realm=\"parley\"");
        api().get("/api/v1/rooms", "parley_" + "x".repeat(43)).problem(401);
        api().get("/api/v1/rooms", "not-even-shaped").problem(401);
        api().call("GET", "/api/v1/rooms", null, null, Map.of("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"))
                .problem(401);

        WebSession signedInAdmin = admin();
        WebSession.Page withCookie = signedInAdmin.get("/api/v1/rooms");
        assertThat(withCookie.status()).as("a signed-in browser's session counts for nothing").isEqualTo(401);
        assertThat(withCookie.header("Set-Cookie")).as("no session is made").isEmpty();

        List<String> revocations = audit.findAll().stream()
                .filter(e -> e.getAction().equals("API_TOKEN_REVOKED"))
                .filter(e -> host.account().getEmail().equals(e.getTarget()))
                .map(e -> e.getDetails()).toList();
        assertThat(revocations).containsExactly("token \"Revoke me\" (rooms:read)");
        WebSession.Page log = signedInAdmin.get("/admin/audit?action=API_TOKEN_REVOKED&person="
                + host.account().getEmail());
        assertThat(log.html().select("[data-testid=audit-row]")).hasSize(1);
        assertThat(log.text("audit-what")).isEqualTo("revoked an API token");
        assertThat(log.text("audit-details")).isEqualTo("token \u201cRevoke me\u201d, scopes rooms:read");
        WebSession.Page inChinese = signedInAdmin.acceptLanguage("zh-CN").get("/admin/audit?action=API_TOKEN_CREATED"
                + "&person=" + host.account().getEmail());
        assertThat(inChinese.html().select("[data-testid=audit-what]").eachText()).containsOnly("创建了 API 令牌");
    }

    /**
     * A token's last use shows on both token pages; it is written at most once a minute per token (a request within the
     * minute writes nothing), and a refused request is no use.
     */
    @Test
    void aTokensLastUseIsShownAndNotedAtMostOnceAMinute() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-last-used");
        String token = ApiClient.makeToken(host.session(), "Used token", null, "ROOMS_READ");
        String unused = ApiClient.makeToken(host.session(), "Unused token", null, "ROOMS_READ");
        WebSession.Page before = host.session().get("/profile/api-tokens");
        assertThat(lastUsed(before, "api-token", "Used token")).isEqualTo("not yet");
        assertThat(lastUsedAt("Used token", host)).isNull();

        assertThat(api().get("/api/v1/rooms", token).status()).isEqualTo(200);
        java.sql.Timestamp first = lastUsedAt("Used token", host);
        assertThat(first).isNotNull();
        assertThat(first.toInstant()).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        assertThat(api().get("/api/v1/rooms", token).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/users", token).status()).as("out of scope, still a use").isEqualTo(403);
        assertThat(lastUsedAt("Used token", host)).as("not written again within the minute").isEqualTo(first);

        WebSession.Page after = host.session().get("/profile/api-tokens");
        assertThat(lastUsed(after, "api-token", "Used token")).isNotEqualTo("not yet").isNotBlank();
        assertThat(lastUsed(after, "api-token", "Unused token")).isEqualTo("not yet");
        WebSession.Page inChinese = host.session().acceptLanguage("zh-CN").get("/profile/api-tokens");
        assertThat(lastUsed(inChinese, "api-token", "Unused token")).isEqualTo("尚未使用");
        assertThat(inChinese.html().select("[data-testid=api-token-table] th").eachText()).contains("上次使用");
        WebSession.Page all = admin().get("/admin/api-tokens");
        assertThat(lastUsed(all, "admin-api-token", "Used token")).isNotEqualTo("not yet").isNotBlank();
        assertThat(lastUsed(all, "admin-api-token", "Unused token")).isEqualTo("not yet");

        // Two minutes on: the next request notes the use again.
        java.sql.Timestamp earlier = java.sql.Timestamp.from(first.toInstant().minusSeconds(120));
        jdbc.update("update api_token set last_used_at = ? where name = ? and user_id = ?", earlier, "Used token",
                host.account().getId());
        assertThat(api().get("/api/v1/rooms", token).status()).isEqualTo(200);
        assertThat(lastUsedAt("Used token", host).toInstant()).isAfter(first.toInstant().minusSeconds(1));

        api().get("/api/v1/rooms", "parley_" + "x".repeat(43)).problem(401);
        assertThat(lastUsedAt("Unused token", host)).as("a refused token is no use").isNull();
        assertThat(unused).isNotEqualTo(token);
    }

    private java.sql.Timestamp lastUsedAt(String name, Fixtures.SignedIn owner) {
        return jdbc.queryForObject("select last_used_at from api_token where name = ? and user_id = ?",
                java.sql.Timestamp.class, name, owner.account().getId());
    }

    private static String lastUsed(WebSession.Page page, String prefix, String name) {
        return page.html().select("[data-testid=" + prefix + "-row][data-token-name='" + name + "'] [data-testid="
                + prefix + "-last-used]").text();
    }

    @Test
    void anAdminSeesAndRevokesEveryonesTokens() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-watched");
        String token = ApiClient.makeToken(host.session(), "Watched token", null, "ROOMS_READ");
        WebSession admin = admin();
        WebSession.Page all = admin.get("/admin/api-tokens");
        assertThat(all.status()).isEqualTo(200);
        String revokeAction = all.html().select("[data-token-name='Watched token'] form").attr("action");
        assertThat(revokeAction).isNotEmpty();
        assertThat(all.html().select("[data-token-name='Watched token']").text()).contains(host.account().getEmail());
        WebSession.Page done = admin.follow(admin.post(revokeAction, all.csrfToken(), Map.of()));
        assertThat(done.text("flash")).isEqualTo("Token revoked; it no longer works.");
        api().get("/api/v1/rooms", token).problem(401);
        WebSession.Page again = admin.follow(admin.post(revokeAction, all.csrfToken(), Map.of()));
        assertThat(again.text("flash-error")).isEqualTo("There is no such token (any more).");
    }

    @Test
    void badInputIsAnsweredWithProblemDetails() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-bad");
        String token = ApiClient.makeToken(host.session(), "Bad input", null, ALL_HOST_SCOPES);

        JsonNode unreadable = api().call("POST", "/api/v1/rooms", token, "{\"title\": ", Map.of()).problem(400);
        assertThat(unreadable.path("title").asText()).isEqualTo("Unreadable JSON");
        assertThat(unreadable.toString()).doesNotContain("Exception").doesNotContain("at com.");

        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("title", " ");
        bad.put("timeZone", "Mars/Olympus");
        bad.put("durationMinutes", 2);
        JsonNode invalid = api().send("POST", "/api/v1/rooms", token, bad).problem(400);
        assertThat(invalid.path("title").asText()).isEqualTo("Invalid request");
        Map<String, String> errors = new LinkedHashMap<>();
        invalid.path("errors").forEach(e -> errors.put(e.path("field").asText(), e.path("message").asText()));
        assertThat(errors).containsKeys("title", "timeZone", "start", "durationMinutes");
        assertThat(errors.get("title")).isEqualTo("Give the room a title.");

        JsonNode inChinese = api().call("POST", "/api/v1/rooms", token, "{\"title\": \"\"}",
                Map.of("Accept-Language", "zh-CN")).problem(400);
        List<String> messages = new ArrayList<>();
        inChinese.path("errors").forEach(e -> messages.add(e.path("message").asText()));
        assertThat(messages).as("field messages in the caller's language")
                .anyMatch(m -> m.matches(".*\\p{IsHan}.*"));

        Map<String, Object> past = room("Yesterday", -24 * 60);
        JsonNode inThePast = api().send("POST", "/api/v1/rooms", token, past).problem(400);
        assertThat(inThePast.path("errors").get(0).path("field").asText()).isEqualTo("start");

        api().get("/api/v1/rooms/999999999", token).problem(404);
        assertThat(api().get("/api/v1/no-such-thing", token).problem(404).path("detail").asText())
                .contains("/api/v1/openapi.json");
        ApiClient.Response wrongMethod = api().call("DELETE", "/api/v1/rooms", token, null, Map.of());
        wrongMethod.problem(405);
        assertThat(wrongMethod.header("Allow").orElseThrow()).isEqualTo("GET, POST");
        api().get("/api/v1/no-such-thing", null).problem(401);
        Map<String, Object> huge = room("Huge", 60);
        huge.put("description", "x".repeat(70_000));
        api().send("POST", "/api/v1/rooms", token, huge).problem(413);
        Map<String, Object> longDescription = room("Long", 60);
        longDescription.put("description", "x".repeat(2001));
        assertThat(api().send("POST", "/api/v1/rooms", token, longDescription).problem(400).path("errors").get(0)
                .path("field").asText()).isEqualTo("description");
        api().get("/api/v1/rooms/not-a-number", token).problem(400);
        JsonNode tooMany = api().get("/api/v1/rooms?size=1000", token).problem(400);
        assertThat(tooMany.path("errors").get(0).path("field").asText()).isEqualTo("size");
        assertThat(tooMany.path("errors").get(0).path("message").asText()).contains("100");
        api().get("/api/v1/meetings/999999999", token).problem(404);
        long quiet = host.scheduleRoom("Nobody here", 60);
        api().get("/api/v1/meetings/" + quiet, token).problem(404);
        api().send("POST", "/api/v1/meetings/" + quiet + "/end", token, null).problem(404);
        api().call("DELETE", "/api/v1/meetings/" + quiet + "/participants/p-" + "x".repeat(300), token, null,
                Map.of()).problem(404);

        String adminToken = ApiClient.makeToken(admin(), "Users", null, "USERS_READ", "USERS_WRITE");
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", host.account().getEmail());
        user.put("displayName", "Copy");
        user.put("role", "MEMBER");
        user.put("password", "Walnut-Harbour-Lantern-81");
        api().send("POST", "/api/v1/users", adminToken, user).problem(409);
        user.put("email", "weak-" + System.nanoTime() + "@parley.test");
        user.put("password", "short");
        JsonNode weak = api().send("POST", "/api/v1/users", adminToken, user).problem(400);
        assertThat(weak.path("errors").get(0).path("field").asText()).isEqualTo("password");
        user.put("role", "EMPEROR");
        api().send("POST", "/api/v1/users", adminToken, user).problem(400);
        api().send("POST", "/api/v1/users/" + adminId() + "/disable", adminToken, null).problem(409);
    }

    @Test
    void adminsManageUsers() {
        String token = ApiClient.makeToken(admin(), "Directory sync", null, "USERS_READ", "USERS_WRITE");
        String email = "api-made-" + System.nanoTime() + "@parley.test";
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", email);
        user.put("displayName", "Made By API");
        user.put("role", "MEMBER");
        user.put("password", "Walnut-Harbour-Lantern-81");
        ApiClient.Response created = api().send("POST", "/api/v1/users", token, user);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        assertThat(created.json().has("password")).isFalse();
        assertThat(api().get("/api/v1/users?q=" + email, token).json().path("items").get(0).path("id").asLong())
                .isEqualTo(id);
        ApiClient.Response promoted = api().send("PUT", "/api/v1/users/" + id + "/role", token, Map.of("role", "HOST"));
        assertThat(promoted.json().path("role").asText()).as(promoted.toString()).isEqualTo("HOST");
        assertThat(api().send("POST", "/api/v1/users/" + id + "/disable", token, null).json().path("enabled")
                .asBoolean()).isFalse();
        assertThat(api().send("POST", "/api/v1/users/" + id + "/enable", token, null).json().path("enabled")
                .asBoolean()).isTrue();
        assertThat(api().get("/api/v1/users/" + id, token).json().path("email").asText()).isEqualTo(email);
        api().get("/api/v1/users/999999999", token).problem(404);
    }

    @Test
    void aHostSeesTheirMeetingRemovesSomeoneAndEndsIt() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-live");
        long roomId = host.scheduleRoom("Live via API", 0);
        String slug = host.link(roomId).replaceAll(".*/r/", "");
        String token = ApiClient.makeToken(host.session(), "Live", null, "MEETINGS_READ", "MEETINGS_WRITE");
        List<SignalingClient> guests = new ArrayList<>();
        try {
            for (String name : List.of("Ada", "Grace")) {
                SignalingClient guest = SignalingClient.connect(port);
                guests.add(guest);
                guest.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, name),
                        "audio", false, "video", false));
                guest.next("welcome");
            }
            JsonNode meetings = api().get("/api/v1/meetings", token).json();
            assertThat(meetings).hasSize(1);
            assertThat(meetings.get(0).path("roomId").asLong()).isEqualTo(roomId);
            assertThat(meetings.get(0).path("participantCount").asInt()).isEqualTo(2);
            JsonNode meeting = api().get("/api/v1/meetings/" + roomId, token).json();
            assertThat(meeting.path("title").asText()).isEqualTo("Live via API");
            String adaId = null;
            for (JsonNode p : meeting.path("participants")) {
                if (p.path("displayName").asText().equals("Ada")) {
                    adaId = p.path("id").asText();
                }
            }
            assertThat(adaId).isNotNull();

            Fixtures.SignedIn other = fixtures.signedIn(Role.HOST, "api-live-other");
            String othersToken = ApiClient.makeToken(other.session(), "Not mine", null, "MEETINGS_READ",
                    "MEETINGS_WRITE");
            assertThat(api().get("/api/v1/meetings", othersToken).json()).isEmpty();
            api().send("POST", "/api/v1/meetings/" + roomId + "/end", othersToken, null).problem(403);

            assertThat(api().call("DELETE", "/api/v1/meetings/" + roomId + "/participants/" + adaId, token, null,
                    Map.of()).status()).isEqualTo(204);
            JsonNode removed = guests.get(0).next("moderated");
            assertThat(removed.path("action").asText()).isEqualTo("remove");
            assertThat(removed.path("by").path("displayName").asText()).isEqualTo(host.account().getDisplayName());
            assertThat(removed.path("admin").asBoolean()).as("a host, not an admin").isFalse();
            assertThat(guests.get(0).next("bye").path("reason").asText()).isEqualTo("removed");

            assertThat(api().send("POST", "/api/v1/meetings/" + roomId + "/end", token, null).status())
                    .isEqualTo(204);
            assertThat(guests.get(1).next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            api().get("/api/v1/meetings/" + roomId, token).problem(404);
        } finally {
            guests.forEach(SignalingClient::close);
        }
    }

    @Test
    void aTokenThatSpendsItsAllowanceIsToldToWait() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-busy");
        String token = ApiClient.makeToken(host.session(), "Busy loop", null, "ROOMS_READ");
        String other = ApiClient.makeToken(host.session(), "Calm", null, "ROOMS_READ");
        ApiClient.Response last = null;
        int served = 0;
        for (int i = 0; i < 400; i++) {
            last = api().get("/api/v1/rooms", token);
            if (last.status() != 200) {
                break;
            }
            served++;
        }
        assertThat(served).as("the burst").isGreaterThanOrEqualTo(100);
        JsonNode problem = last.problem(429);
        assertThat(problem.path("title").asText()).isEqualTo("Too many requests");
        assertThat(Integer.parseInt(last.header("Retry-After").orElseThrow())).isPositive();
        assertThat(api().get("/api/v1/rooms", other).status()).as("each token has its own allowance").isEqualTo(200);
    }
}
