package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.relay.Relay;
import dev.parley.relay.TrafficTotals;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import dev.parley.web.ViewerTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit log in words with its filters, and the live page's drop reasons in words, over real HTTP. */
@ParleyWebTest
class AdminAuditAndLiveTest {

    private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");
    private static final ZoneId PAGO_PAGO = ZoneId.of("Pacific/Pago_Pago");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    AuditLog audit;

    @Autowired
    AuditSearch auditSearch;

    @Autowired
    Relay relay;

    @Autowired
    DropReasonWords dropReasons;

    @Autowired
    DataSource dataSource;

    WebSession admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
    }

    @Test
    void everyActionAndEveryDropReasonTheRelayCountsHasWordsInBothLanguages() throws IOException {
        assertThat(TrafficTotals.DROP_REASONS).contains("tcp_refused", "tcp_framing");
        for (String bundle : List.of("/i18n/messages.properties", "/i18n/messages_zh_CN.properties")) {
            Properties messages = load(bundle);
            for (AuditAction action : AuditAction.values()) {
                assertThat(messages.getProperty(AuditWording.ACTION_KEY + action)).as("%s in %s", action, bundle)
                        .isNotBlank();
            }
            for (String reason : TrafficTotals.DROP_REASONS) {
                assertThat(messages.getProperty(DropReasonWords.KEY + reason)).as("%s in %s", reason, bundle)
                        .isNotBlank();
            }
        }
    }

    @Test
    void entriesAndTheActionFilterReadInWords() {
        UserAccount member = fixtures.user(Role.MEMBER, "worded");
        WebSession.Page page = admin.get("/admin/users/" + member.getId());
        admin.post("/admin/users/" + member.getId() + "/role", page.csrfToken(), Map.of("role", "HOST"));

        WebSession.Page log = admin.get("/admin/audit?q=" + member.getEmail());
        assertThat(row(log, "USER_CREATED").text()).contains("created the account", "as Member");
        Element changed = row(log, "USER_ROLE_CHANGED");
        assertThat(changed.selectFirst("[data-testid=audit-what]").text()).isEqualTo("changed the role");
        assertThat(changed.selectFirst("[data-testid=audit-details]").text()).isEqualTo("Member → Host");
        assertThat(log.byTestId("audit-table").text()).doesNotContain("USER_ROLE_CHANGED", "MEMBER -> HOST");
        assertThat(log.html().selectFirst("[data-testid=audit-action] option[value=USER_CREATED]").text())
                .isEqualTo("created the account");

        WebSession.Page chinese = admin.acceptLanguage("zh-CN").get("/admin/audit?q=" + member.getEmail());
        assertThat(row(chinese, "USER_CREATED").text()).contains("创建了账户", "身份：成员");
        assertThat(row(chinese, "USER_ROLE_CHANGED").text()).contains("更改了角色", "成员 → 主持人");
        assertThat(chinese.html().selectFirst("[data-testid=audit-action] option[value=USER_CREATED]").text())
                .isEqualTo("创建了账户");
    }

    @Test
    void theDetailsEachFeatureWritesReadAsPhrasesAndAnythingElseAsStored() {
        String target = "phrased-" + UUID.randomUUID();
        audit.recordAnonymous(target, AuditAction.ACCOUNT_LOCKED, target,
                "too many failed logins from all addresses, until 2031-01-01T10:00:00Z");
        audit.recordAnonymous(target, AuditAction.LOGIN_THROTTLED, target,
                "address 203.0.113.9 blocked until 2031-01-01T10:00:00Z");
        audit.recordBy(null, "guest \"Ann\"", "127.0.0.1", AuditAction.MEETING_MUTED_ALL, target, "room abc-defg-hij; 3 muted");
        audit.recordBy(null, target, null, AuditAction.ROOM_TRANSFERRED, target, "to heir@parley.test");
        audit.recordBy(null, target, null, AuditAction.USER_ROLE_CHANGED, target, "written by an older Parley");
        new JdbcTemplate(dataSource).update("insert into audit_event (occurred_at, actor, action, target, details) "
                + "values (?, ?, ?, ?, ?)", Timestamp.from(Instant.now()), target, "RETIRED_ACTION", target, "as it was");

        admin.addCookie(ViewerTime.TIME_ZONE_COOKIE, "UTC");
        WebSession.Page log = admin.get("/admin/audit?q=" + target);
        assertThat(details(log, "ACCOUNT_LOCKED")).startsWith("too many failed sign-ins from all addresses; locked until ")
                .contains("2031").doesNotContain("T10:00:00Z");
        assertThat(details(log, "LOGIN_THROTTLED")).startsWith("address 203.0.113.9 blocked until ").contains("2031");
        assertThat(details(log, "MEETING_MUTED_ALL")).isEqualTo("in room abc-defg-hij · 3 muted");
        assertThat(details(log, "ROOM_TRANSFERRED")).isEqualTo("to heir@parley.test");
        assertThat(details(log, "USER_ROLE_CHANGED")).isEqualTo("written by an older Parley");
        assertThat(row(log, "RETIRED_ACTION").selectFirst("[data-testid=audit-what]").text()).isEqualTo("RETIRED_ACTION");
        assertThat(details(log, "RETIRED_ACTION")).isEqualTo("as it was");

        WebSession.Page chinese = admin.acceptLanguage("zh-CN").get("/admin/audit?q=" + target);
        assertThat(details(chinese, "MEETING_MUTED_ALL")).isEqualTo("在会议室 abc-defg-hij · 3 人被静音");
        assertThat(details(chinese, "ROOM_TRANSFERRED")).isEqualTo("转交给 heir@parley.test");
    }

    @Test
    void filtersByWhoDidItByNameOrAddressAndByDaysInTheViewersZone() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "filtered");
        String name = "Zephyrine " + host.account().getId();
        WebSession.Page form = admin.get("/admin/users/" + host.account().getId());
        admin.post("/admin/users/" + host.account().getId(), form.csrfToken(),
                Map.of("email", host.account().getEmail(), "displayName", name));
        host.scheduleRoom("Filtered by who", 60);

        String byName = "/admin/audit?action=ROOM_CREATED&person=" + encode(name.toLowerCase());
        assertThat(admin.get(byName).html().select("[data-testid=audit-row]")).singleElement()
                .satisfies(row -> assertThat(row.selectFirst("[data-testid=audit-who]").text())
                        .isEqualTo(host.account().getEmail()));
        String addressPart = host.account().getEmail().substring(0, host.account().getEmail().indexOf('@'));
        assertThat(admin.get("/admin/audit?person=" + encode(addressPart.toUpperCase())).html()
                .select("[data-testid=audit-row]")).extracting(row -> row.attr("data-action"))
                .containsExactlyInAnyOrder("ROOM_CREATED", "LOGIN_SUCCEEDED");

        // The same moment is a later day in Kiritimati (UTC+14) than in Pago Pago (UTC-11): the days a filter names
        // are the viewer's.
        Instant at = auditSearch.find(new AuditQuery(AuditAction.ROOM_CREATED, null, name, null, null),
                PageRequest.of(0, 1)).getContent().get(0).getOccurredAt();
        LocalDate inKiritimati = at.atZone(KIRITIMATI).toLocalDate();
        LocalDate inPagoPago = at.atZone(PAGO_PAGO).toLocalDate();
        assertThat(inKiritimati).isAfter(inPagoPago);

        admin.addCookie(ViewerTime.TIME_ZONE_COOKIE, KIRITIMATI.getId());
        assertThat(admin.get("/admin/audit").text("audit-zone")).contains(KIRITIMATI.getId());
        assertThat(rows(byName + "&from=" + inKiritimati + "&to=" + inKiritimati)).isEqualTo(1);
        assertThat(rows(byName + "&from=" + inPagoPago + "&to=" + inPagoPago)).isZero();
        assertThat(rows(byName + "&from=" + inPagoPago)).isEqualTo(1);
        assertThat(rows(byName + "&to=" + inKiritimati.minusDays(1))).isZero();

        admin.clearCookies();
        admin.login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        admin.addCookie(ViewerTime.TIME_ZONE_COOKIE, PAGO_PAGO.getId());
        assertThat(admin.get("/admin/audit").text("audit-zone")).contains(PAGO_PAGO.getId());
        assertThat(rows(byName + "&from=" + inPagoPago + "&to=" + inPagoPago)).isEqualTo(1);
        assertThat(rows(byName + "&from=" + inKiritimati)).isZero();
    }

    @Test
    void pagesKeepEveryFilter() {
        String who = "pager+" + UUID.randomUUID() + "@parley.test";
        for (int i = 0; i < AdminAuditController.PAGE_SIZE + 1; i++) {
            audit.recordAnonymous(who, AuditAction.LOGIN_FAILED, who, "bad credentials");
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        admin.addCookie(ViewerTime.TIME_ZONE_COOKIE, "UTC");
        WebSession.Page first = admin.get("/admin/audit?action=LOGIN_FAILED&person=" + encode(who) + "&from="
                + today.minusDays(1) + "&to=" + today.plusDays(1));
        List<Element> rows = first.html().select("[data-testid=audit-row]");
        assertThat(rows).hasSize(AdminAuditController.PAGE_SIZE)
                .allSatisfy(row -> assertThat(row.selectFirst("[data-testid=audit-details]").text())
                        .isEqualTo("wrong e-mail address or password"));
        String next = first.byTestId("pager-next").attr("href");
        assertThat(next).contains("action=LOGIN_FAILED", "person=" + encode(who), "from=" + today.minusDays(1),
                "to=" + today.plusDays(1));

        WebSession.Page second = admin.get(next);
        assertThat(second.html().select("[data-testid=audit-row]")).singleElement()
                .satisfies(row -> assertThat(row.selectFirst("[data-testid=audit-who]").text()).isEqualTo(who));
        assertThat(second.byTestId("audit-person").val()).isEqualTo(who);
        assertThat(second.has("pager-prev")).isTrue();
    }

    @Test
    void datesThatAreNoneOrOutOfOrderGetAMessageNotAnErrorPage() {
        Map<String, String> expected = Map.of(
                "from=2026-02-30", "Enter a date as year-month-day, for example 2026-03-01.",
                "from=yesterday", "Enter a date as year-month-day, for example 2026-03-01.",
                "from=0000-01-01", "Enter a date between the years 1 and 9999.",
                "from=%2B99999-01-01", "Enter a date between the years 1 and 9999.");
        expected.forEach((query, message) -> {
            WebSession.Page page = admin.get("/admin/audit?" + query);
            assertThat(page.status()).as(query).isEqualTo(200);
            assertThat(page.text("error-from")).as(query).isEqualTo(message);
            assertThat(page.has("audit-row")).as(query).isFalse();
            assertNoInternals(page);
        });
        WebSession.Page kept = admin.get("/admin/audit?from=yesterday&person=someone");
        assertThat(kept.byTestId("audit-from").val()).isEqualTo("yesterday");
        assertThat(kept.byTestId("audit-person").val()).isEqualTo("someone");

        WebSession.Page backwards = admin.get("/admin/audit?from=2026-03-05&to=2026-03-01");
        assertThat(backwards.text("error-to")).isEqualTo("The end date is before the start date.");
        assertThat(backwards.has("audit-row")).isFalse();

        WebSession.Page chinese = admin.acceptLanguage("zh-CN").get("/admin/audit?to=2026-13-01");
        assertThat(chinese.text("error-to")).isEqualTo("请按“年-月-日”填写日期，例如 2026-03-01。");
    }

    @Test
    void onlyAdminsReadTheAuditLog() {
        for (Role role : List.of(Role.MEMBER, Role.HOST)) {
            WebSession session = fixtures.signIn(fixtures.user(role));
            assertThat(session.get("/admin/audit?person=admin&from=2026-01-01").status()).isEqualTo(403);
            assertThat(session.get("/admin/live").status()).isEqualTo(403);
        }
        assertThat(new WebSession(port).get("/admin/audit?person=admin").location()).endsWith("/login");
    }

    @Test
    void fromTheLiveViewAnAdminRemovesSomeoneAndEndsTheMeeting() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long roomId = host.scheduleRoom("Live actions", 1);
        String slug = host.link(roomId).substring(host.link(roomId).lastIndexOf('/') + 1);
        try (SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port)) {
            String adaId = enter(ada, slug, "Ada");
            enter(bob, slug, "Bob");
            WebSession.Page content = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> admin.get("/admin/live/content"), page -> page.html()
                            .select("[data-testid=live-participant]").size() >= 2 && page.body().contains(adaId));
            assertThat(content.html().selectFirst("[data-testid=live-content]").attr("data-refresh-url"))
                    .as("the part the page fetches again by itself").isEqualTo("/admin/live/content");
            assertThat(content.body()).as("only the part, not the page").doesNotContain("<html");

            WebSession hostSession = host.session();
            assertThat(hostSession.post("/admin/live/rooms/" + roomId + "/end", hostSession.get("/rooms").csrfToken(),
                    Map.of()).status()).as("a host is no admin").isEqualTo(403);
            assertThat(admin.post("/admin/live/rooms/" + roomId + "/end", "not-the-token", Map.of()).status())
                    .as("CSRF").isEqualTo(403);

            WebSession.Page removed = admin.submit("/admin/live", "/admin/live/rooms/" + roomId + "/remove",
                    Map.of("participantId", adaId));
            assertThat(removed.location()).endsWith("/admin/live");
            JsonNode notice = ada.next("moderated");
            assertThat(notice.path("action").asText()).isEqualTo("remove");
            assertThat(notice.path("by").path("displayName").asText()).as("told who").isNotEmpty();
            assertThat(notice.path("admin").asBoolean()).as("and that it was an administrator").isTrue();
            assertThat(notice.path("by").path("participantId").asText()).as("who is in no meeting").isEmpty();
            assertThat(ada.next("bye").path("reason").asText()).isEqualTo("removed");
            assertThat(bob.next("participant-left").path("participantId").asText()).isEqualTo(adaId);
            assertThat(admin.get("/admin/live").text("flash")).contains("removed");

            WebSession.Page again = admin.submit("/admin/live", "/admin/live/rooms/" + roomId + "/remove",
                    Map.of("participantId", adaId));
            assertThat(again.location()).endsWith("/admin/live");
            assertThat(admin.get("/admin/live").text("flash-error")).contains("no longer there");

            admin.submit("/admin/live", "/admin/live/rooms/" + roomId + "/end", Map.of());
            JsonNode ended = bob.next("moderated");
            assertThat(ended.path("action").asText()).isEqualTo("end");
            assertThat(ended.path("admin").asBoolean()).as("ended by an administrator").isTrue();
            assertThat(bob.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
        }
        List<String> actions = new JdbcTemplate(dataSource).queryForList(
                "select action || ' by ' || actor from audit_event where details like ?", String.class,
                "room " + slug + "%");
        assertThat(actions).contains("MEETING_PARTICIPANT_REMOVED by " + ParleyWebTest.ADMIN_EMAIL,
                "MEETING_ENDED by " + ParleyWebTest.ADMIN_EMAIL);
    }

    @Test
    void aParticipantIdFarTooLongIsRefusedWithAMessageAndRemovesNobody() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long roomId = host.scheduleRoom("Live limits", 1);
        String slug = host.link(roomId).substring(host.link(roomId).lastIndexOf('/') + 1);
        try (SignalingClient ada = SignalingClient.connect(port)) {
            String adaId = enter(ada, slug, "Ada");
            WebSession.Page refused = admin.submit("/admin/live", "/admin/live/rooms/" + roomId + "/remove",
                    Map.of("participantId", adaId + "x".repeat(10_000)));
            assertThat(refused.location()).endsWith("/admin/live");
            WebSession.Page live = admin.get("/admin/live");
            assertThat(live.text("flash-error")).contains("at most 200 characters").contains("nobody was removed");
            assertNoInternals(live);
            admin.acceptLanguage("zh-CN").submit("/admin/live", "/admin/live/rooms/" + roomId + "/remove",
                    Map.of("participantId", "x".repeat(10_000)));
            assertThat(admin.get("/admin/live").text("flash-error")).contains("200 个字符");

            admin.submit("/admin/live", "/admin/live/rooms/" + roomId + "/remove", Map.of("participantId", adaId));
            assertThat(ada.next("moderated").path("action").asText()).as("Ada was still there").isEqualTo("remove");
        }
    }

    private String enter(SignalingClient client, String slug, String name) {
        client.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, name), "audio", true,
                "video", true));
        return client.next("welcome").path("participantId").asText();
    }

    @Test
    void theLivePageNamesDropReasonsInWords() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // One byte is no protocol the relay speaks: counted relay-wide as unknown_protocol.
            socket.send(new DatagramPacket(new byte[] {(byte) 250}, 1, InetAddress.getLoopbackAddress(), relay.port()));
        }
        String badge = "[data-testid=relay-drop][data-reason=unknown_protocol]";
        WebSession.Page live = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.get("/admin/live"), page -> page.html().selectFirst(badge) != null);
        assertThat(live.html().selectFirst(badge).text()).matches("unrecognised packets: [0-9,]+");
        assertThat(admin.acceptLanguage("zh-CN").get("/admin/live").html().selectFirst(badge).text())
                .matches("无法识别的数据包：[0-9,]+");
        assertThat(dropReasons.of("reason_of_a_newer_relay")).as("a code without words shows as it is")
                .isEqualTo("reason_of_a_newer_relay");
    }

    private static Element row(WebSession.Page page, String action) {
        Element row = page.html().selectFirst("[data-testid=audit-row][data-action=" + action + "]");
        assertThat(row).as("a %s row", action).isNotNull();
        return row;
    }

    private static String details(WebSession.Page page, String action) {
        return row(page, action).selectFirst("[data-testid=audit-details]").text();
    }

    private int rows(String path) {
        WebSession.Page page = admin.get(path);
        assertThat(page.status()).as(path).isEqualTo(200);
        assertThat(page.has("error-from") || page.has("error-to")).as(path).isFalse();
        return page.html().select("[data-testid=audit-row]").size();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void assertNoInternals(WebSession.Page page) {
        assertThat(page.body()).doesNotContain("java.").doesNotContain("Failed to convert")
                .doesNotContain("Exception").doesNotContain("at org.");
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = AdminAuditAndLiveTest.class.getResourceAsStream(resource)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
