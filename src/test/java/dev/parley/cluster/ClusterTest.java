package dev.parley.cluster;

import static dev.parley.testing.MeetingStats.framesDecoded;
import static dev.parley.testing.MeetingStats.otherTile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.client.WhipClient;
import dev.parley.relay.client.WhipResource;
import dev.parley.testing.ApiClient;
import dev.parley.testing.JsonLines;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.TcpBalancer;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Three Parley processes on one PostgreSQL database and one Redis, as three nodes behind one address. Whatever a
 * browser established on one node (its sign-in, a passcode it gave, a join ticket) is good on the others, a ticket only
 * once across all, and a session outlives the restart of the node that made it. New meetings spread over the nodes; a
 * meeting runs on one node whichever node its people reach, and is controlled from any; a drained node's meetings
 * move; and when the meeting's node is killed, browsers behind one address are back in the meeting on another node
 * within 30 s.
 */
@ExtendWith({PostgresSupport.class, RedisSupport.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterTest {

    private static final String ADMIN_EMAIL = "cluster-admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final String SESSION_COOKIE = "PARLEY_SESSION";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "cluster");
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private ParleyProcess a;
    private ParleyProcess b;
    private ParleyProcess c;
    private List<String> arguments;
    private final String namespace = "parley-test-" + UUID.randomUUID();
    /** The admin's browser, signed in on A (its session is good on every node). */
    private WebSession onA;
    private final List<Process> browsers = new ArrayList<>();

    @BeforeAll
    void startNodes() throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        arguments = NodeArguments.of(database, namespace, ADMIN_EMAIL, ADMIN_PASSWORD);
        // The first node migrates the database; the others start beside it on the same schema.
        a = node("a", arguments);
        CompletableFuture<ParleyProcess> startingB = CompletableFuture.supplyAsync(() -> node("b", arguments));
        CompletableFuture<ParleyProcess> startingC = CompletableFuture.supplyAsync(() -> node("c", arguments));
        b = startingB.get(START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        c = startingC.get(START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        onA = new WebSession(a.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    @AfterAll
    void stopNodes() {
        if (publisher != null) {
            publisher.close();
        }
        for (Process browser : browsers) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
        for (ParleyProcess node : new ParleyProcess[] {a, b, c}) {
            if (node != null) {
                node.kill();
            }
        }
    }

    private long roomId;
    private String slug;

    @Test
    @Order(1)
    void newMeetingsSpreadOverTheNodes() throws Exception {
        // Three meetings started one after the other through one node, on nodes that carry nothing yet: each
        // placement counts on its node at once, before the node's next heartbeat reports its people, so each meeting
        // goes to another node.
        List<SignalingClient> hosts = new ArrayList<>();
        List<String> placed = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                loads.add(onA.get("/admin/live").html().select("[data-testid=live-node]").stream()
                        .map(row -> row.attr("data-node-url") + " " + row.select("[data-testid=live-node-participants]")
                                .text()).toList().toString());
                long roomId = RoomForms.schedule(onA, RoomForms.valid("Spread " + i, ZoneId.of("UTC"), 1));
                String slug = RoomForms.path(RoomForms.link(onA, roomId)).substring("/r/".length());
                SignalingClient host = SignalingClient.connect(a.port());
                hosts.add(host);
                host.send(Map.of("type", "join", "ticket", onA.joinTicket(slug, "Host"), "audio", false, "video",
                        false));
                host.next("welcome", Duration.ofSeconds(10));
                placed.add(meetingNode(roomId).baseUrl());
            }
        } finally {
            for (SignalingClient host : hosts) {
                host.send(Map.of("type", "leave"));
                host.close();
            }
        }
        assertThat(placed).as("the nodes of three new meetings, placed when the nodes had these people: %s", loads)
                .containsExactlyInAnyOrder(a.baseUrl(), b.baseUrl(), c.baseUrl());
    }

    @Test
    @Order(2)
    void aPlacementCountsOnItsNodeUntilItsPeopleArrive() throws Exception {
        // WHEP offers through A place three rooms' meetings and are sent on (307) to where they were placed; nobody
        // follows, so no meeting starts. The heartbeats that pass between the first placement and the others (each
        // node beats every 5 s) must not make the node that has a placement pending look empty again.
        for (int i = 0; i < 40 && !peopleOnTheNodes().equals(List.of(0, 0, 0)); i++) {
            Thread.sleep(500);
        }
        assertThat(peopleOnTheNodes()).as("the first test's meetings ended").containsExactly(0, 0, 0);
        List<String> placed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            if (i == 2) {
                Thread.sleep(6_000); // every node's heartbeat runs meanwhile (a placement counts for 10 s at most)
            }
            long room = RoomForms.schedule(onA, RoomForms.valid("Pending " + i, ZoneId.of("UTC"), 1));
            String roomSlug = RoomForms.path(RoomForms.link(onA, room)).substring("/r/".length());
            String token = onA.get("/rooms/" + room).byTestId("stream-token").attr("value");
            HttpResponse<String> whep = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(a.baseUrl() + "/whep/" + roomSlug))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // Placed on A itself, the offer is read there (and refused as an offer); elsewhere it is sent on.
            placed.add(whep.statusCode() == 307
                    ? whep.headers().firstValue("Location").orElseThrow().replaceFirst("/whep/.*$", "")
                    : a.baseUrl());
        }
        assertThat(placed).as("the nodes of three meetings placed within 10 s, none of which started")
                .containsExactlyInAnyOrder(a.baseUrl(), b.baseUrl(), c.baseUrl());
    }

    /** The people on A, B and C, as their heartbeats report them on A's Live page. */
    private List<Integer> peopleOnTheNodes() {
        org.jsoup.nodes.Document live = onA.get("/admin/live").html();
        List<Integer> people = new ArrayList<>();
        for (ParleyProcess node : nodes()) {
            String text = live.select("[data-testid=live-node][data-node-url=\"" + node.baseUrl() + "\"] "
                    + "[data-testid=live-node-participants]").text();
            people.add(text.isEmpty() ? -1 : Integer.parseInt(text.replaceAll("\\D", "")));
        }
        return people;
    }

    @Test
    @Order(3)
    void whatABrowserEstablishedOnOneNodeHoldsOnTheOther() throws Exception {
        // Signed in on A, the same browser is signed in on B.
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
        roomId = RoomForms.schedule(onB, form);
        slug = RoomForms.path(RoomForms.link(onA, roomId)).substring("/r/".length());

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
            signalling.send(Map.of("type", "leave")); // gone at once, not kept for a reconnection
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

        // Admin -> Live on every node lists all three, each with its heartbeat's load.
        for (ParleyProcess node : nodes()) {
            WebSession.Page live = sameBrowser(onA, node).get("/admin/live");
            assertThat(live.html().select("[data-testid=live-node]").eachAttr("data-node-url"))
                    .as("the nodes seen from %s", node.baseUrl())
                    .containsExactlyInAnyOrder(a.baseUrl(), b.baseUrl(), c.baseUrl());
            assertThat(live.html().select("[data-testid=live-node]:has([data-testid=live-node-self])")
                    .attr("data-node-url")).isEqualTo(node.baseUrl());
        }
    }

    @Test
    @Order(4)
    void aMeetingRunsOnOneNodeWhicheverNodeItsPeopleReach() throws Exception {
        publisher = WebRtcEndpoint.open();
        WhipResource whip;
        long roomId = RoomForms.schedule(onA, RoomForms.valid("Routed", ZoneId.of("UTC"), 1));
        String slug = RoomForms.path(RoomForms.link(onA, roomId)).substring("/r/".length());
        // The host comes through A, and the join places the meeting on a node; a guest comes through the other node,
        // which forwards the guest's signalling to the meeting's node: one meeting.
        SignalingClient host = SignalingClient.connect(a.port());
        host.send(Map.of("type", "join", "ticket", onA.joinTicket(slug, "Host"), "audio", false, "video", false));
        JsonNode welcome = host.next("welcome", Duration.ofSeconds(10));
        assertThat(welcome.path("participantId").asText()).isNotEmpty();
        ParleyProcess owner = meetingNode(roomId);
        ParleyProcess other = owner == a ? b : a;
        String ownerUrl = owner.baseUrl();
        try (host; SignalingClient guest = SignalingClient.connect(other.port())) {
            // Six long chat messages: the guest's chat history (about 12,000 characters) is larger than the
            // forwarding WebSocket client's buffer (8 KiB), so it crosses the link between the nodes in parts.
            String line = "The agenda, once more: " + "x".repeat(1_970);
            for (int i = 0; i < 6; i++) {
                host.send(Map.of("type", "chat", "text", i + " " + line));
                host.next("chat", Duration.ofSeconds(10));
            }
            WebSession guestSession = new WebSession(other.baseUrl());
            guest.send(Map.of("type", "join", "ticket", guestSession.joinTicket(slug, "Guest elsewhere"), "audio",
                    false, "video", false));
            JsonNode guestWelcome = guest.next("welcome", Duration.ofSeconds(10));
            assertThat(guestWelcome.path("participants").toString()).as("the guest, forwarded, sees the host")
                    .contains("\"Host\"");
            JsonNode history = guest.next("chat-history", Duration.ofSeconds(10));
            assertThat(history.path("messages")).as("the whole history, through the link").hasSize(6);
            assertThat(history.path("messages").get(5).path("text").asText()).isEqualTo("5 " + line);
            JsonNode joined = host.next("participant-joined", Duration.ofSeconds(10));
            assertThat(joined.path("participant").path("displayName").asText())
                    .as("the host sees the guest who came through the other node").isEqualTo("Guest elsewhere");

            // Admin -> Live on the other node lists the meeting under the owner (from its next heartbeat).
            org.jsoup.select.Elements meetings = new org.jsoup.select.Elements();
            for (int i = 0; i < 30 && !meetings.select("span").text().contains("2 people"); i++) {
                Thread.sleep(500);
                meetings = sameBrowser(onA, other).get("/admin/live").html()
                        .select("[data-testid=live-other-meeting][data-room-id=" + roomId + "]");
            }
            assertThat(meetings).as("the meeting on the other node's Live page").hasSize(1);
            assertThat(meetings.attr("data-room-id")).isEqualTo(String.valueOf(roomId));
            assertThat(meetings.attr("data-node-url")).isEqualTo(ownerUrl);
            assertThat(meetings.select("span").text()).isEqualTo("Routed: 2 people on " + ownerUrl);

            // WHEP through the other node is sent to the meeting's node, with the method and body kept (307).
            String token = sameBrowser(onA, other).get("/rooms/" + roomId).byTestId("stream-token").attr("value");
            HttpResponse<String> whep = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(other.baseUrl() + "/whep/" + slug + "?participant=Host"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(whep.statusCode()).as("WHEP through the other node: %s", whep.body()).isEqualTo(307);
            assertThat(whep.headers().firstValue("Location").orElseThrow())
                    .isEqualTo(ownerUrl + "/whep/" + slug + "?participant=Host");

            // A WHIP stream publishes on the meeting's node: it cannot be moved, so it stays there through the drain.
            whip = new WhipClient().post(URI.create(ownerUrl + "/whip/" + slug + "?name=Leftover"), token,
                    publisher.createOffer(OfferOptions.whip()));
            assertThat(whip.statusCode()).as("WHIP on the meeting's node").isEqualTo(201);
            publisher.applyAnswer(whip.answer());
            publisher.connect(Duration.ofSeconds(15));
            assertThat(host.next("participant-joined", Duration.ofSeconds(10)).path("participant").path("kind")
                    .asText()).isEqualTo("whip");

            // An admin drains the meeting's node from the other node's Live page: both are sent to join again, and
            // a join through the drained node now lands on the other one.
            WebSession adminThere = sameBrowser(onA, other);
            WebSession.Page live = adminThere.get("/admin/live");
            String ownerId = live.html().select("[data-testid=live-node][data-node-url=" + ownerUrl + "]")
                    .select("input[name=nodeId]").attr("value");
            assertThat(ownerId).isNotEmpty();
            drainedNode = owner;
            WebSession.Page drained = adminThere.follow(adminThere.post("/admin/live/nodes/drain", live.csrfToken(),
                    Map.of("nodeId", ownerId)));
            assertThat(drained.body()).contains("The node is draining");
            for (SignalingClient client : List.of(host, guest)) {
                JsonNode bye = client.next("bye", Duration.ofSeconds(10));
                assertThat(bye.path("reason").asText()).isEqualTo("moved");
            }
        }
        try (SignalingClient again = SignalingClient.connect(drainedNode.port())) {
            again.send(Map.of("type", "join", "ticket", onA.joinTicket(slug, "Host again"), "audio", false,
                    "video", false));
            assertThat(again.next("welcome", Duration.ofSeconds(10))).isNotNull();
            List<ParleyProcess> running = new ArrayList<>();
            for (ParleyProcess node : nodes()) {
                if (node != drainedNode && runsOn(node, roomId)) {
                    running.add(node);
                }
            }
            assertThat(running).as("the meeting after the drain runs on one node that was not drained").hasSize(1);
            ParleyProcess now = running.get(0);
            assertThat(sameBrowser(onA, now).get("/admin/live").html().select("[data-testid=live-node-draining]"))
                    .as("the drained node is shown draining").hasSize(1);

            // The meeting is now in two places: the browsers on the new node, the stream on the drained one. End on
            // the new node's Live page ends both.
            WebSession adminNow = sameBrowser(onA, now);
            assertThat(runsOn(drainedNode, roomId)).as("the stream keeps a meeting on the drained node").isTrue();
            adminNow.post("/admin/live/rooms/" + roomId + "/end", adminNow.get("/admin/live").csrfToken(), Map.of());
            assertThat(again.next("bye", Duration.ofSeconds(10)).path("reason").asText()).isEqualTo("meeting-ended");
            for (int i = 0; i < 40 && runsOn(drainedNode, roomId); i++) {
                Thread.sleep(250);
            }
            assertThat(runsOn(drainedNode, roomId)).as("the drained node's part of the meeting ended too").isFalse();
            assertThat(whip.delete()).as("the stream's session went with it").isEqualTo(404);
        }
    }

    /** The WHIP publisher of the drain test (closed with the nodes). */
    private WebRtcEndpoint publisher;

    private boolean runsOn(ParleyProcess node, long roomId) {
        return !sameBrowser(onA, node).get("/admin/live").html()
                .select("form[action$=/admin/live/rooms/" + roomId + "/end] [data-testid=live-end]").isEmpty();
    }

    /** The node drained in the test before (it still runs, and forwards what reaches it). */
    private ParleyProcess drainedNode;

    /** The node whose own Live page lists the room's meeting in full (it runs there). */
    private ParleyProcess meetingNode(long roomId) {
        List<ParleyProcess> running = new ArrayList<>();
        for (ParleyProcess node : nodes()) {
            if (node.isAlive() && !sameBrowser(onA, node).get("/admin/live").html()
                    .select("form[action$=/admin/live/rooms/" + roomId + "/end] [data-testid=live-end]").isEmpty()) {
                running.add(node);
            }
        }
        assertThat(running).as("the nodes running the meeting").hasSize(1);
        return running.get(0);
    }

    @Test
    @Order(5)
    void controlsActOnTheMeetingFromEveryNode() throws Exception {
        // The node drained before stays draining: meetings go to the others, and the drained one serves pages.
        ParleyProcess other = drainedNode;
        WebSession adminThere = sameBrowser(onA, other);
        long roomId = RoomForms.schedule(adminThere, RoomForms.valid("Far away", ZoneId.of("UTC"), 1));
        String slug = RoomForms.path(RoomForms.link(onA, roomId)).substring("/r/".length());
        try (SignalingClient host = SignalingClient.connect(other.port())) {
            host.send(Map.of("type", "join", "ticket", adminThere.joinTicket(slug, "Host"), "audio", false, "video",
                    false));
            host.next("welcome", Duration.ofSeconds(10));
            ParleyProcess owner = meetingNode(roomId);
            assertThat(owner).as("the meeting runs on a node that is not draining").isNotSameAs(other);
            try (SignalingClient guest = SignalingClient.connect(owner.port())) {
                guest.send(Map.of("type", "join", "ticket", new WebSession(owner.baseUrl()).joinTicket(slug, "Guest"),
                        "audio", false, "video", false));
                String guestId = guest.next("welcome", Duration.ofSeconds(10)).path("participantId").asText();
                host.next("participant-joined", Duration.ofSeconds(10));

                // The room's page on the node without the meeting lists its people, with their WHEP addresses.
                assertThat(adminThere.get("/rooms/" + roomId).html().select("[data-testid=whep-person-name]")
                        .eachText()).as("the people of a meeting on another node").containsExactly("Guest", "Host");
                // So does the REST API there, which lists every node's meetings.
                ApiClient api = new ApiClient(other.port());
                String token = ApiClient.makeToken(adminThere, "Cluster", null, "MEETINGS_READ");
                JsonNode listed = api.get("/api/v1/meetings", token).json();
                assertThat(listed.findValuesAsText("roomId")).as("the API's meetings").contains(String.valueOf(roomId));
                JsonNode meeting = api.get("/api/v1/meetings/" + roomId, token).json();
                assertThat(meeting.path("participants").findValuesAsText("displayName"))
                        .containsExactlyInAnyOrder("Guest", "Host");

                // Calls that are not Parley's, on the meeting node's channel and on everyone's, are dropped.
                WebSession.Page live = adminThere.get("/admin/live");
                String ownerId = live.html().select("[data-testid=live-node][data-node-url=" + owner.baseUrl() + "]")
                        .select("input[name=nodeId]").attr("value");
                assertThat(ownerId).isNotEmpty();
                // The last would end the meeting, did it say who called.
                publish(List.of(namespace + ":calls:" + ownerId, namespace + ":calls:all"),
                        List.of("no lines", "meeting.remove\n\n0\n{\"roomId\":", "no.such.call\n\n0\n{}",
                                "meeting.end\n" + namespace + ":calls:answer:x\n3000\n[1,2]",
                                "meeting.end\n\nsoon\n{}",
                                "meeting.end\nnobody\n3000\n{\"roomId\":" + roomId
                                        + ",\"actor\":{\"id\":1,\"email\":\"x@x\",\"name\":\"X\",\"admin\":true},"
                                        + "\"address\":\"127.0.0.1\"}"));

                // Admin -> Live on that node removes the guest and then ends the meeting: the meeting's node does both.
                WebSession.Page removed = adminThere.follow(adminThere.post("/admin/live/rooms/" + roomId + "/remove",
                        live.csrfToken(), Map.of("participantId", guestId)));
                assertThat(removed.body()).doesNotContain("data-testid=\"flash-error\"");
                assertThat(guest.next("bye", Duration.ofSeconds(10)).path("reason").asText()).isEqualTo("removed");
                assertThat(host.next("participant-left", Duration.ofSeconds(10)).path("participantId").asText())
                        .isEqualTo(guestId);
                org.jsoup.select.Elements end = new org.jsoup.select.Elements();
                for (int i = 0; i < 30 && end.isEmpty(); i++) { // shown from the owner's next heartbeat
                    Thread.sleep(500);
                    live = adminThere.get("/admin/live");
                    end = live.html().select("[data-testid=live-other-meeting][data-room-id=" + roomId
                            + "] [data-testid=live-other-end]");
                }
                assertThat(end).as("an End button for the meeting on the other node").hasSize(1);
                adminThere.post("/admin/live/rooms/" + roomId + "/end", live.csrfToken(), Map.of());
                assertThat(host.next("bye", Duration.ofSeconds(10)).path("reason").asText()).isEqualTo("meeting-ended");
            }
        }
        for (String action : List.of("MEETING_PARTICIPANT_REMOVED", "MEETING_ENDED")) {
            org.jsoup.select.Elements rows = adminThere.get("/admin/audit").html()
                    .select("[data-testid=audit-row][data-action=" + action + "]");
            assertThat(rows).as("%s audited", action).isNotEmpty();
            assertThat(rows.first().select("[data-testid=audit-who]").text()).isEqualTo(ADMIN_EMAIL);
            assertThat(rows.first().select("[data-testid=audit-details]").text()).contains("room " + slug);
        }

        // Cancelling the room on the node without its meeting ends the meeting for the people on the other.
        try (SignalingClient host = SignalingClient.connect(other.port())) {
            host.send(Map.of("type", "join", "ticket", onA.joinTicket(slug, "Host"), "audio", false, "video",
                    false));
            host.next("welcome", Duration.ofSeconds(10));
            assertThat(meetingNode(roomId)).isNotSameAs(other);
            WebSession.Page room = adminThere.get("/rooms/" + roomId);
            adminThere.post("/rooms/" + roomId + "/cancel", room.csrfToken(), Map.of());
            assertThat(host.next("bye", Duration.ofSeconds(10)).path("reason").asText()).isEqualTo("room-closed");
        }
    }

    @Test
    @Order(6)
    void aSessionOutlivesTheRestartOfItsNode() throws Exception {
        // The drained node restarts (a drained node stays drained until then): the session is still good there.
        ParleyProcess restarted = drainedNode == null ? a : drainedNode;
        WebSession madeThere = new WebSession(restarted.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        restarted.stop(Duration.ofSeconds(30));
        ParleyProcess fresh = node(restarted == a ? "a2" : restarted == b ? "b2" : "c2", arguments);
        if (restarted == a) {
            a = fresh;
        } else if (restarted == b) {
            b = fresh;
        } else {
            c = fresh;
        }
        WebSession.Page afterRestart = sameBrowser(madeThere, fresh).get("/rooms/" + roomId);
        assertThat(afterRestart.status()).as("the session outlived its node").isEqualTo(200);
        assertThat(afterRestart.body()).contains("Two nodes");
        assertThat(sameBrowser(madeThere, fresh).get("/admin/live").html().select("[data-testid=live-node]").eachAttr(
                "data-node-url")).as("the node left at its stop and came back: one entry for it")
                .containsExactlyInAnyOrder(a.baseUrl(), b.baseUrl(), c.baseUrl());
    }

    @Test
    @Order(7)
    @Tag("browser")
    void browsersBehindOneAddressAreBackWithinThirtySecondsWhenTheMeetingsNodeIsKilled() throws Exception {
        assertThat(new File(ClusterBrowsers.SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        WebSession admin = sameBrowser(onA, a);
        long room = RoomForms.schedule(admin, RoomForms.valid("Failover", ZoneId.of("UTC"), 1));
        String path = RoomForms.path(RoomForms.link(admin, room));
        try (TcpBalancer front = new TcpBalancer(List.of(a.port(), b.port(), c.port()))) {
            // Both browsers open the one address; their page, tickets and signalling reach either node.
            JsonLines ada = browser(front.baseUrl() + path, "Ada");
            JsonLines bob = browser(front.baseUrl() + path, "Bob");
            JsonNode adaIn = ada.await(s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30,
                    PATIENCE);
            JsonNode bobIn = bob.await(s -> s.path("tiles").size() == 2 && framesDecoded(s, otherTile(s)) > 30,
                    PATIENCE);
            roomId = room;
            ParleyProcess owner = meetingNode(roomId);

            long killedAt = System.currentTimeMillis();
            owner.kill(); // SIGKILL: no drain, no goodbye; its heartbeat lapses within 15 s
            JsonNode adaBack = ada.await(s -> back(s, adaIn), PATIENCE);
            JsonNode bobBack = bob.await(s -> back(s, bobIn), PATIENCE);
            long adaAfter = adaBack.path("t").asLong() - killedAt;
            long bobAfter = bobBack.path("t").asLong() - killedAt;
            System.out.printf("The meeting's node was killed: Ada decodes Bob again %d ms and Bob decodes Ada %d ms "
                    + "after it, on the other node%n", adaAfter, bobAfter);
            assertThat(Math.max(adaAfter, bobAfter)).as("both back within 30 s").isLessThan(30_000);
            assertThat(meetingNode(room)).as("the meeting runs on a surviving node").isNotSameAs(owner);
        }
    }

    /** In the meeting again as someone new (the old place died with its node), with the other's video decoding. */
    private static boolean back(JsonNode stats, JsonNode before) {
        String id = stats.path("participantId").asText("");
        return !id.isEmpty() && !id.equals(before.path("participantId").asText()) && stats.path("tiles").size() == 2
                && framesDecoded(stats, otherTile(stats)) > 30;
    }


    private JsonLines browser(String link, String name) throws IOException {
        return ClusterBrowsers.join(link, name, LOGS, browsers);
    }

    private static ParleyProcess node(String name, List<String> arguments) {
        try {
            return ParleyProcess.start(arguments, LOGS.resolve("node-" + name + ".log"), START_TIMEOUT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void publish(List<String> channels, List<String> messages) {
        LettuceConnectionFactory connection = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(RedisSupport.url()));
        connection.afterPropertiesSet();
        connection.start();
        try {
            StringRedisTemplate redis = new StringRedisTemplate(connection);
            for (String channel : channels) {
                messages.forEach(message -> redis.convertAndSend(channel, message));
            }
        } finally {
            connection.destroy();
        }
    }

    private List<ParleyProcess> nodes() {
        return List.of(a, b, c);
    }

    /** The same browser (its cookies) talking to another node. */
    private static WebSession sameBrowser(WebSession browser, ParleyProcess node) {
        WebSession other = new WebSession(node.baseUrl());
        browser.cookie(SESSION_COOKIE).ifPresent(c -> other.addCookie(c.getName(), c.getValue()));
        return other;
    }
}
