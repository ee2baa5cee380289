package dev.parley.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Hosts' calendar feeds over real HTTP: made on the profile page, read by a calendar app, replaced and turned off. */
@ParleyWebTest
class CalendarFeedTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Test
    void aHostsFeedListsTheirUpcomingAndRecentRoomsForCalendarApps() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "feed-host");
        WebSession web = host.session();
        Map<String, String> weeklyForm = RoomForms.valid("Weekly planning", BERLIN, 3 * 24 * 60);
        weeklyForm.put("repeatWeekly", "true");
        weeklyForm.put("occurrences", "4");
        long weekly = RoomForms.schedule(web, weeklyForm);
        long once = host.scheduleRoom("One-off review", 120);
        long cancelled = host.scheduleRoom("Called off", 24 * 60);
        web.post("/rooms/" + cancelled + "/cancel", web.get("/rooms/" + cancelled).csrfToken(), Map.of());
        long recent = startedAgo(host.scheduleRoom("Last week's retro", 60), Duration.ofDays(10));
        long longAgo = startedAgo(host.scheduleRoom("Spring kickoff", 60), Duration.ofDays(60));
        Map<String, String> seriesForm = RoomForms.valid("Long series", UTC, 60);
        seriesForm.put("repeatWeekly", "true");
        seriesForm.put("occurrences", "12");
        long series = startedAgo(RoomForms.schedule(web, seriesForm), Duration.ofDays(60));
        Fixtures.SignedIn otherHost = fixtures.signedIn(Role.HOST, "other-feed-host");
        long othersRoom = otherHost.scheduleRoom("Someone else's room", 60);

        WebSession.Page profile = web.get("/profile");
        assertThat(profile.text("calendar-feed-none")).isEqualTo("You have no calendar feed.");
        assertThat(profile.has("calendar-feed-url")).isFalse();
        WebSession.Page made = web.follow(web.post("/profile/calendar-feed", profile.csrfToken(), Map.of()));
        assertThat(made.text("flash")).isEqualTo("Your calendar feed is on.");
        String url = made.byTestId("calendar-feed-url").attr("value");
        assertThat(url).matches("http://127\\.0\\.0\\.1:" + port + "/calendar/[A-Za-z0-9_-]{43}\\.ics");
        assertThat(made.byTestId("subscribe-calendar-feed").attr("href"))
                .isEqualTo(url.replace("http://", "webcal://"));
        assertThat(made.byTestId("copy-calendar-feed-url").attr("data-copy-target")).isEqualTo("calendar-feed-url");
        assertThat(made.has("calendar-feed-shown-once")).isTrue();
        assertThat(made.has("calendar-feed-replace")).isTrue();
        assertThat(made.has("calendar-feed-turn-off")).isTrue();

        WebSession.Page again = web.get("/profile");
        assertThat(again.has("calendar-feed-url")).as("the address is shown once only").isFalse();
        assertThat(again.text("calendar-feed-on")).startsWith("Your calendar feed is on");
        assertThat(again.body()).doesNotContain(path(url));

        WebSession calendarApp = new WebSession(port);
        WebSession.Page feed = calendarApp.get(path(url));
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.header("Content-Type").orElseThrow()).isEqualTo("text/calendar;charset=UTF-8");
        assertThat(feed.header("Cache-Control").orElseThrow()).contains("max-age=300").contains("private");
        assertThat(feed.header("Set-Cookie")).as("no session for a calendar app").isEmpty();
        Calendar calendar = new CalendarBuilder().build(new StringReader(feed.body()));
        assertThat(calendar.getProperty("X-WR-CALNAME").orElseThrow().getValue())
                .contains(host.account().getDisplayName());
        assertThat(calendar.getProperty(Property.METHOD)).as("a published calendar has no METHOD").isEmpty();
        assertThat(calendar.getProperty("REFRESH-INTERVAL").orElseThrow().getValue()).isEqualTo("PT1H");

        Map<String, VEvent> events = events(calendar);
        assertThat(events.keySet()).containsExactlyInAnyOrder(uid(weekly), uid(once), uid(cancelled), uid(recent),
                uid(series));
        assertThat(events).doesNotContainKeys(uid(longAgo), uid(othersRoom));
        VEvent weeklyEvent = events.get(uid(weekly));
        assertThat(value(weeklyEvent, Property.SUMMARY)).isEqualTo("Weekly planning");
        assertThat(value(weeklyEvent, Property.RRULE)).contains("FREQ=WEEKLY").contains("COUNT=4");
        assertThat(weeklyEvent.getProperty(Property.DTSTART).orElseThrow().getParameter("TZID").orElseThrow()
                .getValue()).isEqualTo("Europe/Berlin");
        assertThat(calendar.getComponents(Component.VTIMEZONE)).hasSize(1);
        assertThat(value(weeklyEvent, Property.URL)).isEqualTo(host.link(weekly));
        assertThat(value(weeklyEvent, Property.DESCRIPTION)).contains(host.link(weekly));
        assertThat(value(weeklyEvent, Property.STATUS)).isEqualTo("CONFIRMED");
        assertThat(value(events.get(uid(cancelled)), Property.STATUS)).isEqualTo("CANCELLED");
        assertThat(value(events.get(uid(series)), Property.RRULE)).contains("COUNT=12");
        assertThat(events.get(uid(once)).getProperty(Property.RRULE)).isEmpty();

        // Unchanged: the same ETag, and 304 to a calendar app that has it. A change makes a new one.
        String etag = feed.header("ETag").orElseThrow();
        WebSession.Page unchanged = calendarApp.get(path(url), Map.of("If-None-Match", etag));
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        web.post("/rooms/" + once + "/cancel", web.get("/rooms/" + once).csrfToken(), Map.of());
        WebSession.Page changed = calendarApp.get(path(url), Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag").orElseThrow()).isNotEqualTo(etag);
        assertThat(value(events(new CalendarBuilder().build(new StringReader(changed.body()))).get(uid(once)),
                Property.STATUS)).isEqualTo("CANCELLED");

        // The other host's feed lists only their own room.
        String otherUrl = makeFeed(otherHost.session());
        assertThat(events(fetch(otherUrl)).keySet()).containsExactly(uid(othersRoom));
    }

    @Test
    void aNewAddressRetiresTheOldOneAndTurningOffRetiresItTooEachAudited() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "renewing-host");
        WebSession web = host.session();
        host.scheduleRoom("Renewed", 60);
        String first = makeFeed(web);
        assertThat(fetch(first).getComponents(Component.VEVENT)).hasSize(1);

        WebSession.Page replaced = web.follow(web.post("/profile/calendar-feed", web.get("/profile").csrfToken(),
                Map.of()));
        assertThat(replaced.text("flash")).contains("new address");
        String second = replaced.byTestId("calendar-feed-url").attr("value");
        assertThat(second).isNotEqualTo(first);
        assertNotFound(first);
        assertThat(fetch(second).getComponents(Component.VEVENT)).hasSize(1);

        WebSession.Page off = web.follow(web.post("/profile/calendar-feed/off", web.get("/profile").csrfToken(),
                Map.of()));
        assertThat(off.text("flash")).contains("is off");
        assertThat(off.has("calendar-feed-none")).isTrue();
        assertThat(off.has("calendar-feed-create")).isTrue();
        assertNotFound(second);
        assertNotFound(first);

        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        String email = host.account().getEmail();
        assertThat(auditWhat(admin, "CALENDAR_FEED_CREATED", email)).containsExactly("turned their calendar feed on");
        assertThat(auditWhat(admin, "CALENDAR_FEED_REPLACED", email))
                .containsExactly("gave their calendar feed a new address");
        assertThat(auditWhat(admin, "CALENDAR_FEED_TURNED_OFF", email)).containsExactly("turned their calendar feed off");
        admin.acceptLanguage("zh-CN");
        assertThat(auditWhat(admin, "CALENDAR_FEED_REPLACED", email)).containsExactly("更换了日历订阅地址");
    }

    @Test
    void aFeedAnswersOnlyWhileItsOwnerIsAnEnabledHostOrAdmin() {
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "demoted-feed-host");
        host.scheduleRoom("Before the demotion", 60);
        String url = makeFeed(host.session());
        assertThat(fetch(url).getComponents(Component.VEVENT)).hasSize(1);

        asAdmin(admin, host.account(), "/role", Map.of("role", "MEMBER"));
        assertNotFound(url);
        assertThat(host.session().get("/profile").has("calendar-feed")).as("no section for a member").isFalse();
        asAdmin(admin, host.account(), "/role", Map.of("role", "ADMIN"));
        assertThat(fetch(url).getComponents(Component.VEVENT)).as("an admin's feed").hasSize(1);

        asAdmin(admin, host.account(), "/enabled", Map.of("enabled", "false"));
        assertNotFound(url);
    }

    @Test
    void membersHaveNoFeedAndAdminsDo() {
        Fixtures.SignedIn member = fixtures.signedIn(Role.MEMBER, "feedless-member");
        WebSession.Page profile = member.session().get("/profile");
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.has("calendar-feed")).isFalse();
        assertThat(member.session().post("/profile/calendar-feed", profile.csrfToken(), Map.of()).status())
                .isEqualTo(403);
        assertThat(member.session().post("/profile/calendar-feed/off", profile.csrfToken(), Map.of()).status())
                .isEqualTo(403);

        Fixtures.SignedIn admin = fixtures.signedIn(Role.ADMIN, "feed-admin");
        admin.scheduleRoom("Admin's own room", 60);
        assertThat(admin.session().get("/profile").has("calendar-feed-create")).isTrue();
        assertThat(fetch(makeFeed(admin.session())).getComponents(Component.VEVENT)).hasSize(1);

        WebSession.Page chinese = fixtures.signedIn(Role.HOST, "zh-feed-host").session().acceptLanguage("zh-CN")
                .get("/profile");
        assertThat(chinese.byTestId("calendar-feed").selectFirst("h2").text()).isEqualTo("日历订阅");
        assertThat(chinese.text("calendar-feed-create")).isEqualTo("开启日历订阅");
    }

    @Test
    void unknownTokensAndOtherMethodsAreRefusedWithNothingToRead() {
        WebSession stranger = new WebSession(port);
        for (String token : List.of("not-a-token", "A".repeat(43), "A".repeat(44))) {
            assertNotFound("/calendar/" + token + ".ics");
        }

        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "head-host");
        String url = makeFeed(host.session());
        assertThat(stranger.request("HEAD", path(url), Map.of()).status()).isEqualTo(200);
        assertThat(stranger.postRaw(path(url), Map.of()).status()).isEqualTo(403);
        assertThat(stranger.request("PUT", path(url), Map.of()).status()).isEqualTo(403);
        assertThat(host.session().get("/calendar/" + "B".repeat(43) + ".ics").status())
                .as("a signed-in session opens no feed").isEqualTo(404);
    }

    @Test
    void aFeedFetchedInALoopIsToldToWait() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "looping-host");
        String url = makeFeed(host.session());
        WebSession loop = new WebSession(port);
        for (int i = 0; i < FeedFetches.BURST; i++) {
            assertThat(loop.get(path(url)).status()).as("fetch %d", i + 1).isEqualTo(200);
        }
        WebSession.Page refused = loop.get(path(url));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isPositive();

        Fixtures.SignedIn otherHost = fixtures.signedIn(Role.HOST, "calm-host");
        assertThat(loop.get(path(makeFeed(otherHost.session()))).status()).as("another feed's allowance")
                .isEqualTo(200);
    }

    /** Makes the signed-in host's feed from the profile page; its address as shown there. */
    private static String makeFeed(WebSession host) {
        WebSession.Page made = host.post("/profile/calendar-feed", host.get("/profile").csrfToken(), Map.of());
        assertThat(made.status()).isEqualTo(302);
        assertThat(made.location()).contains("/profile");
        return host.follow(made).byTestId("calendar-feed-url").attr("value");
    }

    private Calendar fetch(String url) {
        WebSession.Page feed = new WebSession(port).get(path(url));
        assertThat(feed.status()).as("GET %s", path(url)).isEqualTo(200);
        try {
            return new CalendarBuilder().build(new StringReader(feed.body()));
        } catch (Exception e) {
            throw new AssertionError("the feed does not parse: " + feed.body(), e);
        }
    }

    private void assertNotFound(String url) {
        WebSession.Page page = new WebSession(port).get(path(url));
        assertThat(page.status()).as("GET %s", path(url)).isEqualTo(404);
        assertThat(page.body()).isEmpty();
    }

    private static void asAdmin(WebSession admin, UserAccount account, String action, Map<String, String> fields) {
        String user = "/admin/users/" + account.getId();
        WebSession.Page done = admin.post(user + action, admin.get(user).csrfToken(), fields);
        assertThat(done.status()).as("admin %s", action).isEqualTo(302);
    }

    private static List<String> auditWhat(WebSession admin, String action, String email) {
        return admin.get("/admin/audit?action=" + action + "&q=" + email).html()
                .select("[data-testid=audit-row] [data-testid=audit-what]").eachText();
    }

    /** Moves a room's first start back in time, as if it had been scheduled that long ago. */
    private long startedAgo(long roomId, Duration ago) {
        Room room = rooms.findById(roomId).orElseThrow();
        room.setStartsAt(Instant.now().minus(ago));
        rooms.save(room);
        return roomId;
    }

    private String uid(long roomId) {
        return "room-" + rooms.findById(roomId).orElseThrow().getSlug() + "@parley";
    }

    private static Map<String, VEvent> events(Calendar calendar) {
        return calendar.<VEvent>getComponents(Component.VEVENT).stream()
                .collect(Collectors.toMap(event -> value(event, Property.UID), Function.identity()));
    }

    private static String value(VEvent event, String property) {
        return event.getProperty(property).orElseThrow().getValue();
    }

    private static String path(String url) {
        return url.substring(url.indexOf("/calendar/"));
    }
}
