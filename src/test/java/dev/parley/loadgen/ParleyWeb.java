package dev.parley.loadgen;

import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.ZoneId;
import java.util.Map;

/**
 * What the load generator does on Parley's web side, the way a person with a browser would: the admin signs in,
 * schedules rooms through the room form and reads the Prometheus endpoint; guests open a room's link and trade the
 * page's session for a join ticket. Every visitor is a {@link WebSession} on the generator's one HTTP client; their
 * failures become {@link IOException}s, which the generator reports instead of failing.
 */
final class ParleyWeb {

    private final HttpClient http;
    private final URI base;
    private final String adminEmail;
    private final String adminPassword;
    private WebSession admin;

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
        WebSession session = visitor();
        WebSession.Page result = call("signing in as " + adminEmail, () -> session.submit("/login", "/login",
                Map.of("email", adminEmail, "password", adminPassword)));
        String location = result.header("Location").orElse(null);
        if (!result.isRedirect() || location == null || location.contains("error")) {
            throw new IOException("the admin could not sign in as " + adminEmail + " (status " + result.status()
                    + ", location " + location + ")");
        }
        admin = session;
    }

    private synchronized WebSession admin() throws IOException {
        if (admin == null) {
            signIn();
        }
        return admin;
    }

    /**
     * Schedules a room that people may join now (it starts in a minute; rooms open early) and returns its slug.
     */
    String scheduleRoom(String title, int maxParticipants) throws IOException {
        Map<String, String> form = RoomForms.valid(title, ZoneId.of("UTC"), 1);
        form.put("description", "Load generator room");
        form.put("durationMinutes", "240");
        form.put("maxParticipants", Integer.toString(maxParticipants));
        WebSession session = admin();
        String link = call("scheduling a room for " + maxParticipants,
                () -> RoomForms.link(session, RoomForms.schedule(session, form)));
        return RoomForms.path(link).substring("/r/".length());
    }

    /** The Prometheus exposition text, read as the admin. */
    String prometheus() throws IOException {
        WebSession.Page response = call("reading /actuator/prometheus", () -> admin().get("/actuator/prometheus"));
        if (response.status() != 200) {
            signIn(); // the session may have been replaced or expired
            response = call("reading /actuator/prometheus", () -> admin().get("/actuator/prometheus"));
        }
        if (response.status() != 200) {
            throw new IOException("/actuator/prometheus answered " + response.status());
        }
        return response.body();
    }

    /** A guest's join ticket: open the room link (session cookie, CSRF token), then ask for a ticket. */
    String guestTicket(String slug, String displayName) throws IOException {
        return call("the ticket for " + displayName, () -> visitor().joinTicket(slug, displayName));
    }

    private WebSession visitor() {
        return new WebSession(base.resolve("/").toString().replaceAll("/$", ""), http);
    }

    private interface Request<T> {
        T send() throws IOException;
    }

    /** Runs what a visitor does; its assertion failures (no answer, a form refused) become IOExceptions. */
    private static <T> T call(String what, Request<T> request) throws IOException {
        try {
            return request.send();
        } catch (AssertionError e) {
            throw new IOException(what + " failed: " + e.getMessage(), e);
        }
    }
}
