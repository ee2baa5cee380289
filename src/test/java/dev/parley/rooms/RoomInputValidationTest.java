package dev.parley.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.util.CompatibilityHints;
import net.fortuna.ical4j.validate.ValidationResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Issue 8: ranges, offered time zones, readable text and a valid .ics for what the room form accepts. */
@ParleyWebTest
class RoomInputValidationTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    UserAccount hostAccount;
    WebSession host;

    @BeforeEach
    void signInAsHost() {
        hostAccount = fixtures.user(Role.HOST);
        host = fixtures.signIn(hostAccount);
    }

    @Test
    void everyFieldsProblemShowsAfterOneSubmit() {
        Map<String, String> bad = RoomForms.valid("", BERLIN, -120);
        bad.put("durationMinutes", "3");
        bad.put("maxParticipants", "501");
        bad.put("passcode", "a b");
        bad.put("repeatWeekly", "true");
        bad.put("occurrences", "99");
        WebSession.Page page = host.submit("/rooms/new", "/rooms", bad);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("error-title")).isEqualTo("Give the room a title.");
        assertThat(page.text("error-start")).as("the service's rule beside the form's own")
                .isEqualTo("The start lies in the past. Choose a time from now on.");
        assertThat(page.text("error-durationMinutes")).isEqualTo("The duration must be between 5 and 1,440 minutes.");
        assertThat(page.text("error-maxParticipants")).isEqualTo("Allow between 2 and 500 participants.");
        assertThat(page.text("error-passcode")).isEqualTo("The passcode must be 4 to 64 characters without spaces.");
        assertThat(page.text("error-occurrences")).isEqualTo("A weekly room meets between 2 and 52 times.");

        long id = RoomForms.schedule(host, RoomForms.valid("Edited badly", BERLIN, 60));
        Map<String, String> badEdit = RoomForms.valid("", BERLIN, 0);
        badEdit.put("start", RoomForms.local(LocalDateTime.now(BERLIN).plusYears(6)));
        badEdit.put("maxParticipants", "1");
        WebSession.Page edit = host.submit("/rooms/" + id + "/edit", "/rooms/" + id, badEdit);
        assertThat(edit.status()).isEqualTo(200);
        assertThat(edit.text("error-title")).isEqualTo("Give the room a title.");
        assertThat(edit.text("error-start")).isEqualTo("Choose a start within the next 5 years.");
        assertThat(edit.text("error-maxParticipants")).isEqualTo("Allow between 2 and 500 participants.");
        assertThat(rooms.findByHostId(hostAccount.getId())).extracting(Room::getTitle).containsExactly("Edited badly");
    }

    @Test
    void aRoomForFiveHundredIsTheLargestTaken() {
        Map<String, String> webinar = RoomForms.valid("Webinar", BERLIN, 60);
        webinar.put("maxParticipants", "500");
        long id = RoomForms.schedule(host, webinar);
        assertThat(rooms.findById(id)).get().extracting(Room::getMaxParticipants).isEqualTo(500);

        webinar.put("maxParticipants", "501");
        assertThat(host.submit("/rooms/" + id + "/edit", "/rooms/" + id, webinar).text("error-maxParticipants"))
                .isEqualTo("Allow between 2 and 500 participants.");
        assertThat(rooms.findById(id)).get().extracting(Room::getMaxParticipants).isEqualTo(500);
    }

    @Test
    void aStartMoreThanFiveYearsAheadIsRefusedWithAFieldMessage() {
        Map<String, String> farFuture = RoomForms.valid("Far future", BERLIN, 60);
        farFuture.put("start", "+999999999-01-01T10:00");
        WebSession.Page refused = host.submit("/rooms/new", "/rooms", farFuture);
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.has("error-start")).isTrue();
        assertNoInternals(refused);

        Map<String, String> sixYears = RoomForms.valid("Six years", BERLIN, 60);
        sixYears.put("start", RoomForms.local(LocalDateTime.now(BERLIN).plusYears(6)));
        assertThat(host.submit("/rooms/new", "/rooms", sixYears).text("error-start"))
                .isEqualTo("Choose a start within the next 5 years.");
        assertThat(host.acceptLanguage("zh-CN").submit("/rooms/new", "/rooms", sixYears).text("error-start"))
                .isEqualTo("请选择未来 5 年内的开始时间。");
        host.acceptLanguage("en");
        assertThat(rooms.findByHostId(hostAccount.getId())).isEmpty();

        Map<String, String> fourYears = RoomForms.valid("Four years", BERLIN, 60);
        fourYears.put("start", RoomForms.local(LocalDateTime.now(BERLIN).plusYears(4)));
        long id = RoomForms.schedule(host, fourYears);
        assertThat(host.get("/rooms/" + id).status()).isEqualTo(200);

        WebSession.Page edit = host.submit("/rooms/" + id + "/edit", "/rooms/" + id, farFuture);
        assertThat(edit.status()).isEqualTo(200);
        assertThat(edit.has("error-start")).isTrue();
        assertThat(host.get("/rooms/" + id).status()).isEqualTo(200);
        assertThat(host.get("/rooms/" + id + "/invite.ics").status()).isEqualTo(200);
    }

    @Test
    void unreadableDatesAndNumbersGetAFriendlyFieldMessage() {
        Map<String, String> impossibleDate = RoomForms.valid("Impossible date", BERLIN, 60);
        impossibleDate.put("start", "2031-02-30T10:00");
        WebSession.Page date = host.submit("/rooms/new", "/rooms", impossibleDate);
        assertThat(date.text("error-start")).isEqualTo("Enter a real date and time.");
        assertNoInternals(date);

        for (String field : List.of("durationMinutes", "maxParticipants", "occurrences")) {
            Map<String, String> overflow = RoomForms.valid("Overflow", BERLIN, 60);
            overflow.put("repeatWeekly", "true");
            overflow.put(field, "99999999999999999999");
            WebSession.Page page = host.submit("/rooms/new", "/rooms", overflow);
            assertThat(page.text("error-" + field)).as(field).isEqualTo("Enter a whole number in the allowed range.");
            assertNoInternals(page);
        }
        WebSession.Page chinese = host.acceptLanguage("zh-CN").submit("/rooms/new", "/rooms", impossibleDate);
        assertThat(chinese.text("error-start")).isEqualTo("请输入有效的日期和时间。");
        assertThat(rooms.findByHostId(hostAccount.getId())).isEmpty();
    }

    @Test
    void onlyTheOfferedTimeZonesAreAccepted() {
        for (String zone : List.of("SystemV/AST4", "Etc/GMT+5", "EST", "Z")) {
            Map<String, String> form = RoomForms.valid("Zone " + zone, BERLIN, 60);
            form.put("timeZone", zone);
            WebSession.Page page = host.submit("/rooms/new", "/rooms", form);
            assertThat(page.status()).as(zone).isEqualTo(200);
            assertThat(page.text("error-timeZone")).as(zone).isEqualTo("Choose a time zone from the list.");
        }
        assertThat(rooms.findByHostId(hostAccount.getId())).isEmpty();

        Set<String> offered = host.get("/rooms/new").html().select("#timeZone option").stream()
                .map(o -> o.attr("value")).collect(Collectors.toSet());
        assertThat(offered).contains("UTC", "Europe/Berlin").doesNotContain("SystemV/AST4", "Etc/GMT+5");
    }

    @Test
    void titlesAndDescriptionsMustBeReadableText() {
        for (String title : List.of("nul\u0000byte", "bell\u0007", "\u200B\u200B", "\u200B \u2060\uFEFF",
                "invoice\u202Eexe.pdf", "\u202Dforced", "\u2066isolated\u2069", "\u3164")) {
            WebSession.Page page = host.submit("/rooms/new", "/rooms", RoomForms.valid(title, BERLIN, 60));
            assertThat(page.status()).as(escaped(title)).isEqualTo(200);
            assertThat(page.text("error-title")).as(escaped(title)).contains("readable text");
        }
        for (String description : List.of("bell\u0007here", "escape\u001B[31m", "right\u202Eleft", "\u200B")) {
            Map<String, String> form = RoomForms.valid("Described", BERLIN, 60);
            form.put("description", description);
            assertThat(host.submit("/rooms/new", "/rooms", form).text("error-description"))
                    .as(escaped(description)).contains("readable text");
        }
        assertThat(host.acceptLanguage("zh-CN").submit("/rooms/new", "/rooms", RoomForms.valid("a\u202E", BERLIN, 60))
                .text("error-title")).contains("不能包含控制字符");
        host.acceptLanguage("en");
        assertThat(rooms.findByHostId(hostAccount.getId())).isEmpty();

        Map<String, String> fine = RoomForms.valid("Zoë’s 会议 🎉", BERLIN, 60);
        fine.put("description", "First line\r\nSecond line\n\tindented\nمرحبا");
        long id = RoomForms.schedule(host, fine);
        Room stored = rooms.findById(id).orElseThrow();
        assertThat(stored.getTitle()).isEqualTo("Zoë’s 会议 🎉");
        assertThat(stored.getDescription()).contains("Second line");
    }

    @Test
    void invitationsAreValidICalendarForUtcBerlinAndWeeklyRooms() throws Exception {
        Map<String, String> utc = RoomForms.valid("UTC stand-up", ZoneOffset.UTC, 60 * 24);
        utc.put("timeZone", "UTC");
        Calendar utcCalendar = validCalendar(RoomForms.schedule(host, utc));
        VEvent utcEvent = (VEvent) utcCalendar.getComponent(Component.VEVENT).orElseThrow();
        assertThat(utcEvent.getProperty(Property.DTSTART).orElseThrow().getValue()).endsWith("Z");

        Calendar berlin = validCalendar(RoomForms.schedule(host, RoomForms.valid("Berlin review", BERLIN, 60 * 24)));
        VEvent berlinEvent = (VEvent) berlin.getComponent(Component.VEVENT).orElseThrow();
        assertThat(berlinEvent.getProperty(Property.DTSTART).orElseThrow().getParameter(Parameter.TZID).orElseThrow()
                .getValue()).isEqualTo("Europe/Berlin");

        Map<String, String> weekly = RoomForms.valid("Weekly planning", BERLIN, 60 * 24 * 2);
        weekly.put("repeatWeekly", "true");
        weekly.put("occurrences", "8");
        long weeklyId = RoomForms.schedule(host, weekly);
        VEvent weeklyEvent = (VEvent) validCalendar(weeklyId).getComponent(Component.VEVENT).orElseThrow();
        assertThat(weeklyEvent.getProperty(Property.RRULE).orElseThrow().getValue()).isEqualTo("FREQ=WEEKLY;COUNT=8");

        WebSession.Page page = host.get("/rooms/" + weeklyId);
        host.post("/rooms/" + weeklyId + "/cancel", page.csrfToken(), Map.of());
        Calendar cancelled = validCalendar(weeklyId);
        assertThat(cancelled.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("CANCEL");
    }

    /** Downloads the room's .ics, parses it strictly and checks it against RFC 5545 and 5546 (for its METHOD). */
    private Calendar validCalendar(long roomId) throws Exception {
        WebSession.Page ics = host.get("/rooms/" + roomId + "/invite.ics");
        assertThat(ics.status()).isEqualTo(200);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_RELAXED_PARSING, false);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_RELAXED_UNFOLDING, false);
        CompatibilityHints.setHintEnabled(CompatibilityHints.KEY_RELAXED_VALIDATION, false);
        Calendar calendar = new CalendarBuilder().build(new StringReader(ics.body()));
        ValidationResult result = calendar.validate();
        assertThat(result.getEntries()).as("validation of\n%s", ics.body()).isEmpty();

        VEvent event = (VEvent) calendar.getComponent(Component.VEVENT).orElseThrow();
        assertThat(event.getProperties(Property.DTSTAMP)).hasSize(1);
        Set<String> defined = calendar.getComponents(Component.VTIMEZONE).stream()
                .map(z -> z.getProperty(Property.TZID).orElseThrow().getValue()).collect(Collectors.toSet());
        for (Property property : event.getProperties()) {
            property.getParameter(Parameter.TZID).ifPresent(tzid ->
                    assertThat(defined).as("VTIMEZONE for %s", property.getName()).contains(tzid.getValue()));
        }
        return calendar;
    }

    private static void assertNoInternals(WebSession.Page page) {
        assertThat(page.body()).doesNotContain("java.").doesNotContain("Failed to convert")
                .doesNotContain("Exception");
    }

    private static String escaped(String text) {
        return text.codePoints().mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04X", c) : Character.toString(c))
                .collect(Collectors.joining());
    }
}
