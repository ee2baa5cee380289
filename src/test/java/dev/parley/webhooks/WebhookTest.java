package dev.parley.webhooks;

import static dev.parley.testing.SignalingClient.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.accounts.Role;
import dev.parley.recording.Recordings;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.client.WhipClient;
import dev.parley.relay.client.WhipException;
import dev.parley.relay.client.WhipResource;
import dev.parley.recording.TestRecordings;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Webhooks end to end: an admin registers a receiver started here (the JDK's HTTP server on 127.0.0.1) on the admin
 * page, a host schedules a room through the form, people join and leave over the real signalling socket, and the
 * receiver checks every delivery's signature with its own HMAC code from the secret the page showed once. Receivers
 * that fail or never answer in time get retries, which the delivery log shows. Retry and timeout intervals are
 * shortened for this class alone (so it gets a Spring context of its own), so that it sees retries and a receiver that
 * never answers without waiting minutes, while the other tests' shared context keeps the default poll.
 */
@ParleyWebTest
@TestPropertySource(properties = {"parley.webhooks.first-retry=300ms", "parley.webhooks.poll-interval=200ms",
    "parley.webhooks.connect-timeout=2s", "parley.webhooks.read-timeout=2s"})
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static HttpServer receiver;
    private static ExecutorService receiverThreads;
    private static final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private static final Map<String, AtomicInteger> flakyCalls = new ConcurrentHashMap<>();
    /** Requests the stuck receiver holds at the moment, and the most it ever held at once. */
    private static final AtomicInteger stuckNow = new AtomicInteger();
    private static final AtomicInteger stuckMost = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    WebhookDeliveries deliveries;

    @Autowired
    WebhookDeliveryRepository deliveryRows;

    @Autowired
    WebhookAttemptRepository attempts;

    @Autowired
    Recordings recordings;

    @Autowired
    TestRecordings testRecordings;

    WebSession admin;
    final List<String> made = new ArrayList<>();

    /** One request as the receiver got it. */
    record Received(String path, String id, String timestamp, String signature, String body, JsonNode json) {
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiverThreads = Executors.newFixedThreadPool(8);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/ok", exchange -> answer(exchange, 204));
        // 500 the first time a message comes, 200 when it comes again
        receiver.createContext("/flaky", exchange -> answer(exchange, flakyCalls.computeIfAbsent(
                exchange.getRequestHeaders().getFirst("webhook-id"), id -> new AtomicInteger())
                .getAndIncrement() == 0 ? 500 : 200));
        receiver.createContext("/slow", WebhookTest::answerTooLate);
        receiver.createContext("/stuck", exchange -> {
            stuckMost.accumulateAndGet(stuckNow.incrementAndGet(), Math::max);
            try {
                answerTooLate(exchange);
            } finally {
                stuckNow.decrementAndGet();
            }
        });
        receiver.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            answer(exchange, 302);
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }

    /** 200, after twice the test's read timeout. */
    private static void answerTooLate(HttpExchange exchange) throws IOException {
        try {
            Thread.sleep(4_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer(exchange, 200);
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body, JSON.readTree(body)));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @BeforeEach
    void signInAsAdmin() {
        admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
    }

    /** Webhooks made by a test go with it, so that other tests' rooms and meetings are sent nowhere. */
    @AfterEach
    void deleteWebhooks() {
        for (String page : made) {
            WebSession.Page shown = admin.get(page);
            if (shown.status() == 200) {
                admin.post(page + "/delete", shown.csrfToken(), Map.of());
            }
        }
    }

    @Test
    void aRealMeetingsEventsArriveSignedWithTheSecretShownOnce() throws Exception {
        Registered hook = register("/ok", WebhookEventType.offered().stream().map(WebhookEventType::wireName)
                .toList());
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "webhook-host");
        Map<String, String> form = RoomForms.valid("Webhook standup", ZoneId.of("UTC"), 1);
        form.put("passcode", "kept-out-of-webhooks");
        long roomId = RoomForms.schedule(host.session(), form);
        String slug = RoomForms.path(host.link(roomId)).substring("/r/".length());

        WebSession guest = new WebSession(port);
        guest.submit("/r/" + slug, "/r/" + slug + "/passcode", Map.of("passcode", "kept-out-of-webhooks"));
        try (SignalingClient ada = SignalingClient.connect(port)) {
            ada.send(join(guest.joinTicket(slug, "Ada")));
            ada.next("welcome");
            ada.send(Map.of("type", "leave"));
            ada.awaitClose(Duration.ofSeconds(5));
        }
        List<String> meeting = List.of("room.scheduled", "meeting.started", "participant.joined",
                "participant.left", "meeting.ended");
        await().atMost(WAIT).until(() -> types(forRoom("/ok", roomId)).containsAll(meeting));

        // The secret changes: what is sent from now on is signed with the new one, the old one no longer fits.
        WebSession.Page page = admin.get(hook.page());
        WebSession.Page rotated = admin.follow(admin.post(hook.page() + "/secret", page.csrfToken(), Map.of()));
        String newSecret = rotated.byTestId("webhook-secret").attr("value");
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(hook.secret());
        assertThat(admin.get(hook.page()).has("webhook-secret")).as("a secret is shown once").isFalse();
        WebSession.Page room = host.session().get("/rooms/" + roomId);
        host.session().post("/rooms/" + roomId + "/cancel", room.csrfToken(), Map.of());
        await().atMost(WAIT).until(() -> types(forRoom("/ok", roomId)).contains("room.cancelled"));

        List<Received> events = forRoom("/ok", roomId);
        List<String> expected = new ArrayList<>(meeting);
        expected.add("room.cancelled");
        assertThat(types(events)).as("each once").containsExactlyInAnyOrderElementsOf(expected);
        Map<String, Received> byType = events.stream().collect(Collectors.toMap(r -> r.json().path("type").asText(),
                r -> r));
        for (Received event : events) {
            boolean afterRotation = event.json().path("type").asText().equals("room.cancelled");
            assertThat(verifies(afterRotation ? newSecret : hook.secret(), event)).as("signature of %s", event.body())
                    .isTrue();
            assertThat(verifies(afterRotation ? hook.secret() : newSecret, event)).isFalse();
            assertThat(event.json().path("id").asText()).isEqualTo(event.id()).startsWith("msg_");
            assertThat(Long.parseLong(event.timestamp())).isCloseTo(System.currentTimeMillis() / 1000,
                    org.assertj.core.data.Offset.offset(300L));
            assertThat(event.body()).doesNotContain("kept-out-of-webhooks", host.account().getEmail(), "whsec_");
            assertThat(event.json().path("data").path("room").path("slug").asText()).isEqualTo(slug);
        }
        assertThat(events.stream().map(Received::id).distinct()).hasSize(expected.size());
        JsonNode joined = byType.get("participant.joined").json().path("data");
        assertThat(joined.path("participant").path("name").asText()).isEqualTo("Ada");
        assertThat(joined.path("participant").path("id").asText()).startsWith("p-");
        assertThat(joined.path("room").path("title").asText()).isEqualTo("Webhook standup");
        assertThat(byType.get("participant.left").json().path("data").path("participant").path("id").asText())
                .isEqualTo(joined.path("participant").path("id").asText());
        assertThat(byType.get("participant.left").json().path("data").path("reason").asText()).isEqualTo("left");
        JsonNode scheduled = byType.get("room.scheduled").json().path("data");
        assertThat(scheduled.path("change").asText()).isEqualTo("created");
        assertThat(scheduled.path("room").path("durationMinutes").asInt()).isEqualTo(60);
        assertThat(byType.get("room.cancelled").json().path("data").path("change").asText()).isEqualTo("cancelled");

        WebSession.Page log = admin.get(hook.page());
        assertThat(log.html().select("[data-testid=webhook-log-row]").eachAttr("data-event")).containsAll(expected);

        WebSession.Page audit = admin.get("/admin/audit?q=" + hook.url());
        assertThat(audit.byTestId("audit-table").text()).contains("added a webhook", "gave a webhook a new secret")
                .doesNotContain(hook.secret(), newSecret);
    }

    /**
     * A WHIP offer the relay reads but cannot answer (no media in it) had its transport made, then closed: the stream
     * leaves the room before it ever joined, and whoever listens hears neither. (Before, the transport's close told
     * them it left, without a join.) A guest who comes and goes afterwards is told both.
     */
    @Test
    void aStreamTheRelayRefusesIsToldNeitherJoinedNorLeft() throws Exception {
        register("/ok", List.of("participant.joined", "participant.left", "meeting.ended"));
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "webhook-whip-host");
        long roomId = host.scheduleRoom("Refused stream", 1);
        String token = host.session().get("/rooms/" + roomId).byTestId("stream-token").attr("value");
        String slug = RoomForms.path(host.link(roomId)).substring("/r/".length());

        WhipException refused = catchThrowableOfType(() -> new WhipClient().post(
                URI.create("http://127.0.0.1:" + port + "/whip/" + slug), token,
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"), WhipException.class);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        try (SignalingClient ada = SignalingClient.connect(port)) {
            ada.send(join(new WebSession(port).joinTicket(slug, "Ada")));
            ada.next("welcome");
            ada.send(Map.of("type", "leave"));
            ada.awaitClose(Duration.ofSeconds(5));
        }
        // Both meetings (the stream's, then Ada's) ended, each told after its participants' leaves.
        await().atMost(WAIT).until(() -> types(forRoom("/ok", roomId)).stream()
                .filter("meeting.ended"::equals).count() == 2);

        List<Received> events = forRoom("/ok", roomId);
        assertThat(types(events)).containsExactlyInAnyOrder("participant.joined", "participant.left",
                "meeting.ended", "meeting.ended");
        for (Received event : events) {
            if (event.json().path("type").asText().startsWith("participant.")) {
                assertThat(event.json().path("data").path("participant").path("name").asText()).isEqualTo("Ada");
            }
        }
    }

    /**
     * The host ends the meeting while a stream is being published, in 12 rounds with the end a little later each
     * time. The publisher gets a 201 exactly when the stream joined a meeting (whoever listens hears it join, then
     * leave); a stream whose meeting ended while the relay answered gets a 409, and nobody hears of it at all. Before,
     * it got a 201 and an answer for a session already gone, and a leave without a join.
     */
    @Test
    void aStreamPublishedAsItsMeetingEndsJoinedAndLeftOrWasRefusedAndNeverHeardOf() throws Exception {
        register("/ok", List.of("participant.joined", "participant.left", "meeting.started", "meeting.ended"));
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "webhook-race-host");
        long roomId = host.scheduleRoom("Streams racing the end", 1);
        String token = host.session().get("/rooms/" + roomId).byTestId("stream-token").attr("value");
        String slug = RoomForms.path(host.link(roomId)).substring("/r/".length());
        URI whip = URI.create("http://127.0.0.1:" + port + "/whip/" + slug);
        String offer;
        try (WebRtcEndpoint publisher = WebRtcEndpoint.open()) {
            offer = publisher.createOffer(OfferOptions.whip());
        }

        int rounds = 12;
        Map<String, Integer> statuses = new LinkedHashMap<>();
        ExecutorService posting = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < rounds; round++) {
                String name = "Race-" + round;
                try (SignalingClient hostClient = SignalingClient.connect(port)) {
                    hostClient.send(join(host.session().joinTicket(slug, "Host")));
                    hostClient.next("welcome");
                    Future<Object> published = posting.submit(() -> {
                        try {
                            return new WhipClient().post(URI.create(whip + "?name=" + name), token, offer);
                        } catch (WhipException e) {
                            return e.statusCode();
                        }
                    });
                    Thread.sleep(round % 6);
                    hostClient.send(Map.of("type", "moderate", "action", "end"));
                    hostClient.next("bye");
                    Object answer = published.get(30, TimeUnit.SECONDS);
                    if (answer instanceof WhipResource resource) {
                        statuses.put(name, resource.statusCode());
                        resource.delete(); // still in the next meeting, or gone with this one
                    } else {
                        statuses.put(name, (Integer) answer);
                    }
                }
            }
        } finally {
            posting.shutdownNow();
        }
        // Every meeting ended, each told after its participants' leaves.
        await().atMost(WAIT).until(() -> {
            List<String> types = types(forRoom("/ok", roomId));
            long ended = types.stream().filter("meeting.ended"::equals).count();
            return ended >= rounds && ended == types.stream().filter("meeting.started"::equals).count();
        });

        List<Received> events = forRoom("/ok", roomId);
        for (Map.Entry<String, Integer> round : statuses.entrySet()) {
            List<String> told = events.stream()
                    .filter(e -> e.json().path("data").path("participant").path("name").asText().equals(round.getKey()))
                    .map(e -> e.json().path("type").asText()).sorted().toList();
            if (round.getValue() == 201) {
                assertThat(told).as("%s, answered", round.getKey())
                        .containsExactly("participant.joined", "participant.left");
            } else {
                assertThat(round.getValue()).as("%s", round.getKey()).isEqualTo(409);
                assertThat(told).as("%s, refused", round.getKey()).isEmpty();
            }
        }
        System.out.println("Streams racing the end of their meeting: " + statuses);
    }

    @Test
    void aRecordingsVideoBeingReadyIsDelivered() {
        Registered hook = register("/ok", List.of("recording.ready"));
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "webhook-recording");
        long roomId = host.scheduleRoom("Recorded for the webhook", 0);
        String slug = RoomForms.path(host.link(roomId)).substring("/r/".length());
        TestRecordings.Made composing = testRecordings.composing(roomId, 50);
        recordings.announceReady(composing.id());
        TestRecordings.Made ready = testRecordings.ready(roomId, Instant.now().minusSeconds(900),
                Duration.ofSeconds(605));
        recordings.announceReady(ready.id());

        await().atMost(WAIT).until(() -> types(forRoom("/ok", roomId)).contains("recording.ready"));
        List<Received> events = forRoom("/ok", roomId);
        assertThat(types(events)).as("the room's own scheduling was not asked for").containsOnly("recording.ready");
        Received event = events.get(0);
        assertThat(verifies(hook.secret(), event)).isTrue();
        JsonNode data = event.json().path("data");
        assertThat(data.path("room").path("slug").asText()).isEqualTo(slug);
        assertThat(data.path("room").path("title").asText()).isEqualTo("Recorded for the webhook");
        JsonNode recording = data.path("recording");
        assertThat(recording.path("id").asText()).as("the one not ready is not announced").isEqualTo(ready.id());
        assertThat(recording.path("durationSeconds").asLong()).isEqualTo(605);
        assertThat(recording.path("sizeBytes").asLong()).isEqualTo(ready.composed().length);
        assertThat(recording.path("downloadUrl").asText()).as("no public URL in the tests: the path alone")
                .isEqualTo("/api/v1/recordings/" + ready.id() + "/download");
        assertThat(event.body()).doesNotContain(host.account().getEmail());
        await().atMost(WAIT).until(() -> logResults(hook).contains("1 HTTP 204"));
    }

    @Test
    void aReceiverThatFailsGetsRetriesAndTheLogShowsThem() {
        Registered hook = register("/flaky", List.of("room.scheduled"));
        long roomId = fixtures.signedIn(Role.HOST, "webhook-flaky").scheduleRoom("Flaky receiver", 30);

        await().atMost(WAIT).until(() -> forRoom("/flaky", roomId).size() >= 2);
        List<Received> tries = forRoom("/flaky", roomId);
        assertThat(tries.get(1).id()).as("a retry is the same message").isEqualTo(tries.get(0).id());
        assertThat(tries.get(1).body()).isEqualTo(tries.get(0).body());
        assertThat(verifies(hook.secret(), tries.get(1))).isTrue();

        await().atMost(WAIT).until(() -> logResults(hook).size() >= 2);
        assertThat(logResults(hook)).containsExactly("2 HTTP 200", "1 HTTP 500");
    }

    @Test
    void aReceiverThatNeverAnswersInTimeIsTriedAgain() {
        Registered hook = register("/slow", List.of("room.scheduled"));
        fixtures.signedIn(Role.HOST, "webhook-slow").scheduleRoom("Slow receiver", 30);

        await().atMost(WAIT).until(() -> logResults(hook).size() >= 2);
        assertThat(logResults(hook)).startsWith("2 timed out").endsWith("1 timed out");
    }

    /**
     * A receiver that never answers holds one sender at a time, not all of them: the other webhooks' deliveries go
     * out meanwhile, and it gets its own one after the other.
     */
    @Test
    void aReceiverThatNeverAnswersHoldsOneSenderAndTheOthersGoOut() {
        stuckMost.set(0);
        register("/stuck", List.of("meeting.ended"));
        register("/ok", List.of("meeting.ended"));
        List<Long> roomIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long madeUpRoomId = 910_000_000L + System.nanoTime() % 1_000_000;
            roomIds.add(madeUpRoomId);
            deliveries.record(WebhookEventType.MEETING_ENDED, Instant.now(), Map.of("room", Map.of("id", madeUpRoomId)));
        }
        await().atMost(WAIT).until(() -> roomIds.stream().allMatch(id -> !forRoom("/ok", id).isEmpty()));
        // Read as the other webhook's last delivery arrived, well before the first stuck request times out (2 s):
        // later, a retry may come while the receiver still sleeps on a request its sender gave up.
        assertThat(stuckMost.get()).as("requests the stuck receiver held at once").isEqualTo(1);
    }

    @Test
    void aRedirectIsNotFollowed() {
        Registered hook = register("/redirect", List.of("room.scheduled"));
        long roomId = fixtures.signedIn(Role.HOST, "webhook-redirect").scheduleRoom("Redirecting receiver", 30);

        await().atMost(WAIT).until(() -> logResults(hook).size() >= 2);
        assertThat(logResults(hook)).contains("1 HTTP 302", "2 HTTP 302");
        assertThat(forRoom("/ok", roomId)).as("the redirect's target is never called").isEmpty();
    }

    /**
     * What a restart leaves in the database is sent: a delivery written down but never handed to a sender (as after a
     * crash) goes out with the next look for due deliveries, without any new event.
     */
    @Test
    void aDeliveryWaitingInTheDatabaseIsSentWithoutANewEvent() {
        Registered hook = register("/ok", List.of("meeting.ended"));
        long madeUpRoomId = 900_000_000L + System.nanoTime() % 1000;
        Map<String, Object> room = new LinkedHashMap<>();
        room.put("id", madeUpRoomId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("room", room);
        assertThat(deliveries.record(WebhookEventType.MEETING_ENDED, Instant.now(), data)).isGreaterThanOrEqualTo(1);

        await().atMost(WAIT).until(() -> !forRoom("/ok", madeUpRoomId).isEmpty());
        assertThat(verifies(hook.secret(), forRoom("/ok", madeUpRoomId).get(0))).isTrue();
    }

    @Test
    void theLogIsPrunedAfterItsRetention() {
        register("/ok", List.of("meeting.ended"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("room", Map.of("id", 1));
        deliveries.record(WebhookEventType.MEETING_ENDED, Instant.now(), data);
        await().atMost(WAIT).until(() -> !attempts.findAll().isEmpty());
        WebhookAttempt recent = attempts.findAll().get(0);
        WebhookDelivery delivery = deliveryRows.findById(recent.getDeliveryId()).orElseThrow();
        WebhookAttempt old = attempts.save(new WebhookAttempt(delivery, 9, Instant.now().minus(Duration.ofDays(15)),
                500, null, 1));

        deliveries.prune();
        assertThat(attempts.findById(old.getId())).as("older than the 14 days kept").isEmpty();
        assertThat(attempts.findById(recent.getId())).isPresent();
    }

    /** The verification examples of docs/integrations.md, run as written, accept a delivery and refuse it altered. */
    @Test
    void theDocumentedVerificationExamplesWork(@TempDir Path dir) throws Exception {
        Registered hook = register("/ok", List.of("room.scheduled"));
        long roomId = fixtures.signedIn(Role.HOST, "webhook-docs").scheduleRoom("Documented check", 30);
        await().atMost(WAIT).until(() -> !forRoom("/ok", roomId).isEmpty());
        Received delivery = forRoom("/ok", roomId).get(0);
        String docs = Files.readString(Path.of("docs/integrations.md"));
        String webhooks = docs.substring(docs.indexOf("## Webhooks"));
        Path python = dir.resolve("verify.py");
        Files.writeString(python, block(webhooks, "python") + """

                import json, sys
                headers = json.load(open(sys.argv[1]))
                body = open(sys.argv[2], "rb").read()
                print("valid" if verify(sys.argv[3], headers, body) else "INVALID")
                """);
        Files.writeString(dir.resolve("headers.json"), JSON.writeValueAsString(Map.of("webhook-id", delivery.id(),
                "webhook-timestamp", delivery.timestamp(), "webhook-signature", delivery.signature())));
        String shell = block(webhooks, "sh");

        for (boolean tampered : List.of(false, true)) {
            String body = tampered ? delivery.body().replace("Documented check", "Documented chock") : delivery.body();
            Files.writeString(dir.resolve("body.json"), body);
            String expected = tampered ? "INVALID" : "valid";
            assertThat(run(dir, Map.of(), "python3", python.toString(), dir.resolve("headers.json").toString(),
                    dir.resolve("body.json").toString(), hook.secret())).isEqualTo(expected);
            assertThat(run(dir, Map.of("ID", delivery.id(), "TIMESTAMP", delivery.timestamp(), "SIGNATURE",
                    delivery.signature(), "SECRET", hook.secret()), "sh", "-c", shell)).isEqualTo(expected);
        }
    }

    private static String block(String markdown, String language) {
        int start = markdown.indexOf("```" + language + "\n");
        assertThat(start).as("a %s block in docs/integrations.md's Webhooks", language).isNotNegative();
        int from = start + language.length() + 4;
        return markdown.substring(from, markdown.indexOf("```", from));
    }

    private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void badInputShowsAMessage() {
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        assertThat(refused(Map.of("url", "ftp://127.0.0.1/events", "events", "meeting.started"), "error-url"))
                .contains("Only http:// and https://");
        assertThat(refused(Map.of("url", "javascript:alert(1)", "events", "meeting.started"), "error-url"))
                .contains("Only http:// and https://");
        assertThat(refused(Map.of("url", "", "events", "meeting.started"), "error-url")).contains("Enter the URL");
        assertThat(refused(Map.of("url", base + "/" + "x".repeat(2000), "events", "meeting.started"), "error-url"))
                .contains("at most 2000");
        assertThat(refused(Map.of("url", "http://user:pw@127.0.0.1/", "events", "meeting.started"), "error-url"))
                .contains("user name and password");
        assertThat(refused(Map.of("url", "https://", "events", "meeting.started"), "error-url"))
                .contains("host name");
        assertThat(refused(Map.of("url", base + "/ok"), "error-events")).contains("at least one event");
        assertThat(refused(Map.of("url", base + "/ok", "events", "recording.started"), "error-events"))
                .contains("from the list");
        assertThat(admin.get("/admin/webhooks").html().select("[data-testid=webhook-link]").eachText())
                .noneMatch(url -> url.contains("ftp:") || url.contains("user:pw"));

        Registered hook = register("/ok", List.of("meeting.ended"));
        WebSession.Page page = admin.get(hook.page());
        WebSession.Page edited = admin.post(hook.page(), page.csrfToken(), Map.of("url", "file:///etc/passwd",
                "events", "meeting.ended", "_enabled", "on"));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.text("error-url")).contains("Only http:// and https://");
        assertThat(admin.get(hook.page()).text("webhook-heading")).isEqualTo(hook.url());
        assertThat(admin.get("/admin/webhooks/999999999").status()).isEqualTo(404);
    }

    @Test
    void changesAreSavedAndAuditedInWords() {
        Registered hook = register("/ok", List.of("meeting.ended"));
        String moved = hook.url() + "-moved";
        WebSession.Page page = admin.get(hook.page());
        WebSession.Page saved = admin.post(hook.page(), page.csrfToken(), Map.of("url", moved,
                "events", "meeting.started,meeting.ended", "_enabled", "on"));
        assertThat(saved.status()).isEqualTo(302);
        WebSession.Page shown = admin.follow(saved);
        assertThat(shown.text("flash")).isEqualTo("Webhook saved.");
        assertThat(shown.text("webhook-heading")).isEqualTo(moved);
        assertThat(shown.byTestId("webhook-enabled-input").hasAttr("checked")).isFalse();
        assertThat(shown.byTestId("webhook-event-meeting.started").hasAttr("checked")).isTrue();
        assertThat(shown.has("webhook-secret")).isFalse();

        String entry = admin.get("/admin/audit?q=" + hook.url()).byTestId("audit-table").text();
        assertThat(entry).contains("changed a webhook", "URL: " + hook.url() + " → " + moved,
                "Events: meeting.ended → meeting.started,meeting.ended", "Enabled: true → false");

        WebSession.Page chinese = admin.acceptLanguage("zh-CN").get(hook.page());
        assertThat(chinese.html().select("h2").eachText()).contains("发送日志");
        assertThat(chinese.byTestId("admin-webhooks").text()).isEqualTo("Webhook");
        admin.acceptLanguage("en");

        admin.post(hook.page() + "/delete", shown.csrfToken(), Map.of());
        assertThat(admin.get(hook.page()).status()).isEqualTo(404);
        assertThat(admin.get("/admin/audit?q=" + hook.url()).byTestId("audit-table").text())
                .contains("deleted a webhook");
    }

    private String refused(Map<String, String> fields, String errorTestId) {
        WebSession.Page result = admin.submit("/admin/webhooks", "/admin/webhooks", fields);
        assertThat(result.status()).as("refused: %s", fields).isEqualTo(200);
        return result.text(errorTestId);
    }

    /** A webhook made on the admin page, with the secret the page showed. */
    record Registered(String page, String url, String secret) {
    }

    private Registered register(String path, List<String> events) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        WebSession.Page list = admin.get("/admin/webhooks");
        // a browser sends one "events" field per ticked box; WebSession's forms hold one value per name, so join them
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("url", url);
        fields.put("events", String.join(",", events));
        fields.put("enabled", "true");
        WebSession.Page created = admin.post("/admin/webhooks", list.csrfToken(), fields);
        assertThat(created.status()).as("created: %s", created.body()).isEqualTo(302);
        String page = created.location().substring(created.location().indexOf("/admin/webhooks/"));
        made.add(page);
        WebSession.Page shown = admin.follow(created);
        assertThat(shown.text("flash")).isEqualTo("Webhook added.");
        return new Registered(page, url, shown.byTestId("webhook-secret").attr("value"));
    }

    /** The delivery log's rows, newest first, as "attempt result". */
    private List<String> logResults(Registered hook) {
        return admin.get(hook.page()).html().select("[data-testid=webhook-log-row]").stream()
                .map(row -> text(row, "webhook-log-attempt") + " " + text(row, "webhook-log-result"))
                .toList();
    }

    private static String text(Element row, String testId) {
        Element cell = row.selectFirst("[data-testid=" + testId + "]");
        return cell == null ? "" : cell.text();
    }

    private static List<Received> forRoom(String path, long roomId) {
        return received.stream().filter(r -> r.path().equals(path)
                && r.json().path("data").path("room").path("id").asLong() == roomId).toList();
    }

    private static List<String> types(List<Received> events) {
        return events.stream().map(r -> r.json().path("type").asText()).collect(Collectors.toList());
    }

    /** The Standard Webhooks check, written here from the specification rather than with Parley's code. */
    private static boolean verifies(String secret, Received event) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(
                    (event.id() + "." + event.timestamp() + "." + event.body()).getBytes(StandardCharsets.UTF_8)));
            Set<String> given = Set.of(event.signature().split(" "));
            return given.contains("v1," + expected);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
