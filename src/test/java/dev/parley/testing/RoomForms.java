package dev.parley.testing;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of the room form as a browser would send them. */
public final class RoomForms {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    private RoomForms() {
    }

    /** A valid room starting the given number of minutes from now in the given zone. */
    public static Map<String, String> valid(String title, ZoneId zone, long minutesFromNow) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("title", title);
        form.put("description", "Agenda: " + title);
        form.put("start", LOCAL.format(LocalDateTime.now(zone).plusMinutes(minutesFromNow)));
        form.put("timeZone", zone.getId());
        form.put("durationMinutes", "60");
        form.put("maxParticipants", "10");
        form.put("guestsAllowed", "true");
        form.put("_guestsAllowed", "on");
        form.put("_lobbyEnabled", "on");
        form.put("_repeatWeekly", "on");
        return form;
    }

    public static String local(LocalDateTime dateTime) {
        return LOCAL.format(dateTime);
    }

    /** Schedules a room through the form as the signed-in host; returns the room's id. */
    public static long schedule(WebSession host, Map<String, String> form) {
        WebSession.Page result = host.submit("/rooms/new", "/rooms", form);
        if (result.status() != 302) {
            throw new AssertionError("scheduling failed with " + result.status() + ": "
                    + result.html().select(".field-error, [data-testid=form-errors]").text());
        }
        String location = result.location();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    /** The room's link as its page shows it. */
    public static String link(WebSession host, long roomId) {
        return host.get("/rooms/" + roomId).byTestId("room-link").attr("value");
    }

    /** The path part of a room link: /r/{slug}. */
    public static String path(String link) {
        return link.substring(link.indexOf("/r/"));
    }
}
