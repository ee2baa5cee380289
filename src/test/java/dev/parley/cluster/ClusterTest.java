package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.net.HttpCookie;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Parley processes on one PostgreSQL database and one Redis, as two nodes behind one address: whatever a browser
 * established on one node (its sign-in, a passcode it gave, a join ticket) is good on the other, a ticket only once
 * across both, and a session outlives the restart of the node that made it.
 */
@ExtendWith({PostgresSupport.class, RedisSupport.class})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedWebTierTest {

    private static final String ADMIN_EMAIL = "cluster-admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final String SESSION_COOKIE = "PARLEY_SESSION";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "cluster");

    private ParleyProcess a;
    private ParleyProcess b;

    @AfterEach
    void stopNodes() {
        for (ParleyProcess node : new ParleyProcess[] {a, b}) {
            if (node != null) {
                node.kill();
            }
        }
    }

    @Test
    void whatABrowserEstablishedOnOneNodeHoldsOnTheOther() throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        List<String> arguments = List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--parley.cluster.redis-url=" + RedisSupport.url(),
                "--parley.cluster.namespace=parley-test-" + UUID.randomUUID(),
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD);
        // The first node migrates the database; the second starts beside it on the same schema.
        a = node("a", arguments);
        CompletableFuture<ParleyProcess> starting = CompletableFuture.supplyAsync(() -> node("b", arguments));
        b = starting.get(START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);

        // Signed in on A, the same browser is signed in on B.
        WebSession onA = new WebSession(a.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        HttpCookie session = onA.cookie(SESSION_COOKIE).orElseThrow(() -> new AssertionError(
                "no " + SESSION_COOKIE + " cookie after signing in"));
        assertThat(session.isHttpOnly()).isTrue();
        WebSession onB = sameBrowser(onA, b);
        WebSession.Page rooms = onB.get("/rooms");
        assertThat(rooms.status()).as("B knows A's session").isEqualTo(200);
        assertThat(rooms.body()).contains("data-testid=\"logout\"");

        // A room with a passcode, scheduled on B with the CSRF token of B's page for this session.
        Map<String, String> form = new java.util.HashMap<>(RoomForms.valid("Two nodes", ZoneId.of("UTC"), 1));
        form.put("passcode", "harbour-42");
        long roomId = RoomForms.schedule(onB, form);
        String slug = RoomForms.path(RoomForms.link(onA, roomId)).substring("/r/".length());

        // A guest gives the passcode on A and asks B for the ticket; the ticket redeems on A's signalling.
        WebSession guestOnA = new WebSession(a.baseUrl());
        WebSession.Page prejoin = guestOnA.get("/r/" + slug);
        assertThat(prejoin.status()).isEqualTo(200);
        WebSession.Page unlocked = guestOnA.post("/r/" + slug + "/passcode", prejoin.csrfToken(),
                Map.of("passcode", "harbour-42"));
        assertThat(unlocked.status()).isEqualTo(302);
        WebSession guestOnB = sameBrowser(guestOnA, b);
        String ticket = guestOnB.joinTicket(slug, "Guest");
        try (SignalingClient signalling = SignalingClient.connect(a.port())) {
            signalling.send(Map.of("type", "join", "ticket", ticket, "audio", false, "video", false));
            JsonNode welcome = signalling.nextAny(Duration.ofSeconds(10));
            assertThat(welcome.path("type").asText()).as("B's ticket, with the passcode given on A: %s", welcome)
                    .isIn("welcome", "lobby");
        }
        try (SignalingClient again = SignalingClient.connect(b.port())) {
            again.send(Map.of("type", "join", "ticket", ticket, "audio", false, "video", false));
            JsonNode refused = again.nextAny(Duration.ofSeconds(10));
            assertThat(refused.path("type").asText()).as("a ticket is spent on every node: %s", refused)
                    .isEqualTo("error");
        }

        // Wrong passcodes count on every node: five from one address, spread over both, block that address on both.
        for (int attempt = 1; attempt <= 5; attempt++) {
            WebSession guesser = new WebSession((attempt % 2 == 0 ? b : a).baseUrl());
            WebSession.Page page = guesser.get("/r/" + slug);
            guesser.post("/r/" + slug + "/passcode", page.csrfToken(), Map.of("passcode", "wrong-" + attempt));
        }
        for (ParleyProcess node : List.of(a, b)) {
            WebSession fresh = new WebSession(node.baseUrl());
            WebSession.Page page = fresh.get("/r/" + slug);
            WebSession.Page refused = fresh.follow(fresh.post("/r/" + slug + "/passcode", page.csrfToken(),
                    Map.of("passcode", "harbour-42")));
            assertThat(refused.byTestId("passcode-error").text()).as("node %s", node.port())
                    .startsWith("Too many wrong passcodes");
        }

        // Admin -> Live on either node lists both nodes, each with its heartbeat's load; B lists the meeting under
        // way on A among the other nodes' meetings.
        for (ParleyProcess node : List.of(a, b)) {
            WebSession.Page live = sameBrowser(onA, node).get("/admin/live");
            assertThat(live.html().select("[data-testid=live-node]").eachAttr("data-node-url"))
                    .as("the nodes seen from %s", node.baseUrl()).containsExactlyInAnyOrder(a.baseUrl(), b.baseUrl());
            assertThat(live.html().select("[data-testid=live-node]:has([data-testid=live-node-self])")
                    .attr("data-node-url")).isEqualTo(node.baseUrl());
        }
        try (SignalingClient host = SignalingClient.connect(a.port())) {
            host.send(Map.of("type", "join", "ticket", onA.joinTicket(slug, "Host"), "audio", false, "video", false));
            assertThat(host.nextAny(Duration.ofSeconds(10)).path("type").asText()).isEqualTo("welcome");
            WebSession adminOnB = sameBrowser(onA, b);
            org.jsoup.select.Elements meetings = new org.jsoup.select.Elements();
            for (int i = 0; i < 30 && meetings.isEmpty(); i++) { // the next heartbeat, within 5 s
                Thread.sleep(500);
                meetings = adminOnB.get("/admin/live").html().select("[data-testid=live-other-meeting]");
            }
            assertThat(meetings).as("A's meeting on B's Live page").hasSize(1);
            assertThat(meetings.attr("data-room-id")).isEqualTo(String.valueOf(roomId));
            assertThat(meetings.attr("data-node-url")).isEqualTo(a.baseUrl());
            // The host, and the guest from before while their place is kept for a reconnection.
            assertThat(meetings.text()).matches("Two nodes: [12] (person|people) on " + a.baseUrl());
        }

        // A restarts: the session made on it is still good there.
        a.stop(Duration.ofSeconds(30));
        a = node("a2", arguments);
        WebSession.Page afterRestart = sameBrowser(onA, a).get("/rooms/" + roomId);
        assertThat(afterRestart.status()).as("the session outlived its node").isEqualTo(200);
        assertThat(afterRestart.body()).contains("Two nodes");
        assertThat(sameBrowser(onA, b).get("/admin/live").html().select("[data-testid=live-node]").eachAttr(
                "data-node-url")).as("A left at its stop and came back: one entry for it").containsExactlyInAnyOrder(
                a.baseUrl(), b.baseUrl());
    }

    private static ParleyProcess node(String name, List<String> arguments) {
        try {
            return ParleyProcess.start(arguments, LOGS.resolve("node-" + name + ".log"), START_TIMEOUT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The same browser (its cookies) talking to another node. */
    private static WebSession sameBrowser(WebSession browser, ParleyProcess node) {
        WebSession other = new WebSession(node.baseUrl());
        browser.cookie(SESSION_COOKIE).ifPresent(c -> other.addCookie(c.getName(), c.getValue()));
        return other;
    }
}
