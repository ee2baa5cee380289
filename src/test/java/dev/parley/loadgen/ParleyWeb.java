package dev.parley.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the load generator does on Parley's web side, the way a person with a browser would: the admin signs in,
 * schedules rooms through the room form and reads the Prometheus endpoint; guests open a room's link and trade the
 * page's session for a join ticket.
 */
final class ParleyWeb {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    private static final Pattern ROOM_LINK = Pattern.compile("data-testid=\"room-link\"|id=\"room-link\"");
    private static final Pattern SLUG = Pattern.compile("/r/([A-Za-z0-9_-]+)");

    private final HttpClient http;
    private final URI base;
    private final String adminEmail;
    private final String adminPassword;
    private BrowserSession admin;

    ParleyWeb(HttpClient http, URI base, String adminEmail, String adminPassword) {
        this.http = http;
        this.base = base;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
    }

    URI base() {
        return base;
    }

    /** Signs the admin in through the login form. */
    synchronized void signIn() throws IOException {
        BrowserSession session = new BrowserSession(http, base);
        BrowserSession.Response result = session.submit("/login", "/login",
                Map.of("email", adminEmail, "password", adminPassword));
        if (!result.redirect() || result.location() == null || result.location().contains("error")) {
            throw new IOException("the admin could not sign in as " + adminEmail + " (status " + result.status()
                    + ", location " + result.location() + ")");
        }
        admin = session;
    }

    private synchronized BrowserSession admin() throws IOException {
        if (admin == null) {
            signIn();
        }
        return admin;
    }

    /**
     * Schedules a room that people may join now (it starts in a minute; rooms open early) and returns its slug.
     */
    String scheduleRoom(String title, int maxParticipants) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("title", title);
        form.put("description", "Load generator room");
        form.put("start", LOCAL.format(LocalDateTime.now(ZoneOffset.UTC).plusMinutes(1)));
        form.put("timeZone", "UTC");
        form.put("durationMinutes", "240");
        form.put("maxParticipants", Integer.toString(maxParticipants));
        form.put("guestsAllowed", "true");
        form.put("_guestsAllowed", "on");
        form.put("_lobbyEnabled", "on");
        form.put("_repeatWeekly", "on");
        BrowserSession session = admin();
        BrowserSession.Response result = session.submit("/rooms/new", "/rooms", form);
        if (result.status() != 302 || result.location() == null) {
            throw new IOException("scheduling a room failed with status " + result.status()
                    + " (is maxParticipants " + maxParticipants + " allowed?)");
        }
        BrowserSession.Response page = session.get(URI.create(result.location()).getPath());
        return slugOf(page.body());
    }

    /** The slug in the room page's link field. */
    static String slugOf(String roomPageHtml) throws IOException {
        Matcher link = ROOM_LINK.matcher(roomPageHtml);
        if (link.find()) {
            int tagStart = roomPageHtml.lastIndexOf('<', link.start());
            int tagEnd = roomPageHtml.indexOf('>', link.end());
            Matcher slug = SLUG.matcher(roomPageHtml.substring(tagStart, tagEnd));
            if (slug.find()) {
                return slug.group(1);
            }
        }
        throw new IOException("the room page shows no room link");
    }

    /** The Prometheus exposition text, read as the admin. */
    String prometheus() throws IOException {
        BrowserSession.Response response = admin().get("/actuator/prometheus");
        if (response.status() != 200) {
            signIn(); // the session may have been replaced or expired
            response = admin().get("/actuator/prometheus");
        }
        if (response.status() != 200) {
            throw new IOException("/actuator/prometheus answered " + response.status());
        }
        return response.body();
    }

    /** A guest's join ticket: open the room link (session cookie, CSRF token), then ask for a ticket. */
    String guestTicket(String slug, String displayName) throws IOException {
        BrowserSession guest = new BrowserSession(http, base);
        BrowserSession.Response response = guest.submit("/r/" + slug, "/r/" + slug + "/ticket",
                Map.of("displayName", displayName));
        if (response.status() != 200) {
            throw new IOException("ticket for " + displayName + " refused with " + response.status() + ": "
                    + response.body());
        }
        JsonNode json = JSON.readTree(response.body());
        String ticket = json.path("ticket").asText("");
        if (ticket.isEmpty()) {
            throw new IOException("the ticket response has no ticket: " + response.body());
        }
        return ticket;
    }

    /** The health endpoint's status code (200 when up). */
    int health() {
        try {
            return new BrowserSession(http, base).get("/actuator/health").status();
        } catch (IOException e) {
            return -1;
        }
    }
}
