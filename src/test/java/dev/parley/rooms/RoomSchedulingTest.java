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
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class RoomSchedulingTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    org.springframework.security.crypto.password.PasswordEncoder passwordEncoder;

    UserAccount hostAccount;
    WebSession host;

    @BeforeEach
    void signInAsHost() {
        hostAccount = fixtures.user(Role.HOST);
        host = fixtures.signIn(hostAccount);
    }

    @Test
    void hostSchedulesARoomAndSeesItWithItsLink() {
        Map<String, String> form = RoomForms.valid("Design review", BERLIN, 120);
        form.put("passcode", "s3cret-code");
        form.put("lobbyEnabled", "true");
        long id = RoomForms.schedule(host, form);

        WebSession.Page page = host.get("/rooms/" + id);
        assertThat(page.text("flash")).contains("Room scheduled");
        assertThat(page.text("room-heading")).isEqualTo("Design review");
        String link = page.byTestId("room-link").attr("value");
        assertThat(link).matches("http://127\\.0\\.0\\.1:" + port + "/r/[A-Za-z0-9_-]{22}");
        assertThat(page.has("copy-link")).isTrue();
        assertThat(page.text("room-state")).isEqualTo("Upcoming");
        List<String> invitation = page.byTestId("invitation-text").val().strip().lines().toList();
        assertThat(invitation).as("the invitation to copy").hasSize(4);
        assertThat(invitation.get(0)).isEqualTo("You are invited to the meeting “Design review”.");
        assertThat(invitation.get(1)).startsWith("When: ").endsWith(")");
        assertThat(invitation.get(2)).isEqualTo("Join from your browser: " + link);
        assertThat(invitation.get(3)).as("a note, never the passcode").isEqualTo(
                "A passcode is needed to join; ask the host for it.").doesNotContain("s3cret-code");
        assertThat(page.byTestId("copy-invitation").attr("data-copy-target")).isEqualTo("invitation-text");
        assertThat(page.byTestId("copy-whip-url").attr("data-copy-target")).isEqualTo("whip-url");
        assertThat(page.byTestId("copy-whep-url").attr("data-copy-target")).isEqualTo("whep-url");
        assertThat(page.byTestId("stream-token").attr("type")).as("the token hidden until revealed")
                .isEqualTo("password");
        assertThat(page.byTestId("reveal-stream-token").attr("data-reveal-target")).isEqualTo("stream-token");

        Room stored = rooms.findWithHostById(id).orElseThrow();
        assertThat(stored.getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(stored.getStartsAt()).isEqualTo(
                LocalDateTime.parse(form.get("start")).atZone(BERLIN).toInstant());
        assertThat(stored.getPasscodeHash()).isNotEqualTo("s3cret-code").startsWith("{argon2}");
        assertThat(passwordEncoder.matches("s3cret-code", stored.getPasscodeHash())).isTrue();
        assertThat(stored.isLobbyEnabled()).isTrue();
        assertThat(stored.isGuestsAllowed()).isTrue();

        WebSession.Page list = host.get("/rooms");
        assertThat(list.byTestId("rooms-upcoming").text()).contains("Design review");
    }

    @Test
    void slugsAreLongRandomAndUnique() {
        long a = RoomForms.schedule(host, RoomForms.valid("A", BERLIN, 60));
        long b = RoomForms.schedule(host, RoomForms.valid("B", BERLIN, 60));
        String slugA = rooms.findById(a).orElseThrow().getSlug();
        String slugB = rooms.findById(b).orElseThrow().getSlug();
        assertThat(slugA).hasSize(22).matches("[A-Za-z0-9_-]+").isNotEqualTo(slugB);
        // 22 base64url characters carry 132 bits; 16 random bytes are 128 of them.
        assertThat(SlugGenerator.RANDOM_BYTES * 8).isGreaterThanOrEqualTo(80);
    }

    @Test
    void validationShowsFieldLevelMessages() {
        Map<String, String> empty = RoomForms.valid("", BERLIN, 60);
        assertFieldError(empty, "error-title", "Give the room a title.");

        assertFieldError(RoomForms.valid("x".repeat(121), BERLIN, 60), "error-title", "under 120");
        Map<String, String> longDescription = RoomForms.valid("Ok", BERLIN, 60);
        longDescription.put("description", "d".repeat(2001));
        assertFieldError(longDescription, "error-description", "2,000");

        assertFieldError(RoomForms.valid("Past", BERLIN, -24 * 60), "error-start", "in the past");

        Map<String, String> noStart = RoomForms.valid("No start", BERLIN, 60);
        noStart.put("start", "");
        assertFieldError(noStart, "error-start", "Choose a start");

        Map<String, String> garbageStart = RoomForms.valid("Garbage start", BERLIN, 60);
        garbageStart.put("start", "next tuesday");
        WebSession.Page garbage = host.submit("/rooms/new", "/rooms", garbageStart);
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(garbage.has("error-start")).isTrue();

        Map<String, String> badZone = RoomForms.valid("Zone", BERLIN, 60);
        badZone.put("timeZone", "Mars/Olympus_Mons");
        assertFieldError(badZone, "error-timeZone", "time zone");

        Map<String, String> shortMeeting = RoomForms.valid("Short", BERLIN, 60);
        shortMeeting.put("durationMinutes", "2");
        assertFieldError(shortMeeting, "error-durationMinutes", "between 5 and 1,440");

        Map<String, String> crowd = RoomForms.valid("Crowd", BERLIN, 60);
        crowd.put("maxParticipants", "5000");
        assertFieldError(crowd, "error-maxParticipants", "between 2 and 500");

        Map<String, String> shortCode = RoomForms.valid("Code", BERLIN, 60);
        shortCode.put("passcode", "12");
        assertFieldError(shortCode, "error-passcode", "4 to 64");

        Map<String, String> weekly = RoomForms.valid("Weekly", BERLIN, 60);
        weekly.put("repeatWeekly", "true");
        weekly.put("occurrences", "99");
        assertFieldError(weekly, "error-occurrences", "between 2 and 52");

        Map<String, String> notANumber = RoomForms.valid("NaN", BERLIN, 60);
        notANumber.put("durationMinutes", "sixty");
        WebSession.Page nan = host.submit("/rooms/new", "/rooms", notANumber);
        assertThat(nan.status()).isEqualTo(200);
        assertThat(nan.has("error-durationMinutes")).isTrue();
        assertThat(nan.body()).doesNotContain("NumberFormatException");

        assertThat(rooms.findByHostId(hostAccount.getId())).isEmpty();
    }

    @Test
    void editingKeepsTheLinkAndCanRemoveThePasscode() {
        Map<String, String> form = RoomForms.valid("Weekly sync", BERLIN, 90);
        form.put("passcode", "abcd1234");
        long id = RoomForms.schedule(host, form);
        String slug = rooms.findById(id).orElseThrow().getSlug();

        Map<String, String> edit = RoomForms.valid("Weekly sync (moved)", BERLIN, 180);
        edit.put("repeatWeekly", "true");
        edit.put("occurrences", "6");
        WebSession.Page saved = host.submit("/rooms/" + id + "/edit", "/rooms/" + id, edit);
        assertThat(saved.status()).isEqualTo(302);
        Room room = rooms.findById(id).orElseThrow();
        assertThat(room.getTitle()).isEqualTo("Weekly sync (moved)");
        assertThat(room.getSlug()).isEqualTo(slug);
        assertThat(room.getWeeklyOccurrences()).isEqualTo(6);
        assertThat(room.hasPasscode()).as("an empty passcode field keeps the passcode").isTrue();

        edit.put("removePasscode", "true");
        host.submit("/rooms/" + id + "/edit", "/rooms/" + id, edit);
        assertThat(rooms.findById(id).orElseThrow().hasPasscode()).isFalse();
    }

    @Test
    void cancelReopenAndDelete() {
        long id = RoomForms.schedule(host, RoomForms.valid("Retro", BERLIN, 60));
        WebSession.Page page = host.get("/rooms/" + id);
        host.post("/rooms/" + id + "/cancel", page.csrfToken(), Map.of());
        assertThat(host.get("/rooms/" + id).text("room-state")).isEqualTo("Cancelled");
        assertThat(host.get("/rooms").byTestId("rooms-past").text()).contains("Retro");

        host.post("/rooms/" + id + "/open", page.csrfToken(), Map.of());
        assertThat(host.get("/rooms/" + id).text("room-state")).isEqualTo("Open now");

        WebSession.Page deleted = host.submit("/rooms/" + id + "/delete", "/rooms/" + id + "/delete", Map.of());
        assertThat(deleted.location()).endsWith("/rooms");
        assertThat(rooms.findById(id)).isEmpty();
        assertThat(host.get("/rooms/" + id).status()).isEqualTo(404);
    }

    @Test
    void icsInvitationCarriesTheZoneTheRecurrenceAndTheLink() throws Exception {
        Map<String, String> form = RoomForms.valid("Planning", BERLIN, 60 * 24 * 3);
        form.put("repeatWeekly", "true");
        form.put("occurrences", "4");
        form.put("durationMinutes", "45");
        long id = RoomForms.schedule(host, form);
        String link = RoomForms.link(host, id);

        WebSession.Page ics = host.get("/rooms/" + id + "/invite.ics");
        assertThat(ics.status()).isEqualTo(200);
        assertThat(ics.header("Content-Type").orElseThrow()).startsWith("text/calendar");
        assertThat(ics.header("Content-Disposition").orElseThrow()).contains("attachment").contains("planning.ics");
        assertThat(ics.body()).contains("\r\n");

        Calendar calendar = new CalendarBuilder().build(new StringReader(ics.body()));
        assertThat(calendar.getComponent("VTIMEZONE")).isPresent();
        assertThat(calendar.getComponent("VTIMEZONE").orElseThrow().getProperty(Property.TZID).orElseThrow().getValue())
                .isEqualTo("Europe/Berlin");
        VEvent event = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
        assertThat(event.getProperty(Property.DTSTART).orElseThrow().getParameter("TZID").orElseThrow().getValue())
                .isEqualTo("Europe/Berlin");
        ZonedDateTime expectedStart = LocalDateTime.parse(form.get("start")).atZone(BERLIN);
        assertThat(event.getProperty(Property.DTSTART).orElseThrow().getValue())
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(expectedStart));
        assertThat(event.getProperty(Property.RRULE).orElseThrow().getValue()).contains("FREQ=WEEKLY").contains("COUNT=4");
        assertThat(event.getProperty(Property.URL).orElseThrow().getValue()).isEqualTo(link);
        assertThat(event.getProperty(Property.DESCRIPTION).orElseThrow().getValue()).contains(link);
        assertThat(event.getProperty(Property.SUMMARY).orElseThrow().getValue()).isEqualTo("Planning");
        assertThat(event.getProperty(Property.UID).orElseThrow().getValue()).isNotBlank();
        assertThat(event.getProperty(Property.DURATION).orElseThrow().getValue()).isEqualTo("PT45M");
    }

    private void assertFieldError(Map<String, String> form, String errorTestId, String expectedText) {
        WebSession.Page page = host.submit("/rooms/new", "/rooms", form);
        assertThat(page.status()).as("re-shown form for %s", errorTestId).isEqualTo(200);
        assertThat(page.text(errorTestId)).contains(expectedText);
        assertThat(page.byTestId("room-title-input").attr("value")).isEqualTo(form.get("title"));
    }
}
