package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.LogTails;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.RedisSupport;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A meeting's node that stalls (SIGSTOP: a long pause, a starved CPU) for longer than a forwarded socket's usual wait
 * but shorter than its heartbeat's lapse keeps its meeting: someone joining through another node meanwhile is
 * forwarded to it once it runs again, into the meeting with the people already there, rather than into a second copy
 * of the meeting placed on the other node; and while it waits, that other node serves its pages and sockets as ever,
 * with fewer request threads than the joins waiting. A node that stalls for longer loses the meeting's placement to the other
 * node, which then runs a second copy for the newcomer; once the stalled node runs again the two become one, on the
 * node with more people. Two Parley processes on PostgreSQL and Redis.
 */
@ExtendWith({PostgresSupport.class, RedisSupport.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StalledNodeTest {

    private static final String ADMIN_EMAIL = "stalled-admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "stalled-node");
    /** Past the forward's usual 5 s, well inside the 15 s after which a silent node's heartbeat lapses. */
    private static final Duration STALL = Duration.ofSeconds(7);
    /** Past the 15 s after which the forwarding node places the meeting on itself, and the heartbeat lapses. */
    private static final Duration LONG_STALL = Duration.ofSeconds(22);
    /**
     * Each node's Tomcat threads, fewer than the guests who join through the other node while the meeting's node
     * stalls: were each forwarded join to hold one until the node answered, that node would serve nothing else.
     */
    private static final int REQUEST_THREADS = 4;
    private static final int GUESTS = REQUEST_THREADS + 1;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private ParleyProcess a;
    private ParleyProcess b;

    @BeforeAll
    void startNodes() throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        // The test's people only signal (no ICE): their transports must outlast the long stall and what follows.
        List<String> arguments = NodeArguments.of(database, "parley-stalled-" + UUID.randomUUID(), ADMIN_EMAIL,
                ADMIN_PASSWORD, "--parley.media.consent-timeout=2m",
                "--server.tomcat.threads.max=" + REQUEST_THREADS, "--server.tomcat.threads.min-spare=1");
        // The first node migrates the database; the second starts on the same schema.
        a = ParleyProcess.start(arguments, LOGS.resolve("node-a.log"), START_TIMEOUT);
        b = ParleyProcess.start(arguments, LOGS.resolve("node-b.log"), START_TIMEOUT);
    }

    @AfterAll
    void stopNodes() {
        timer.shutdownNow();
        for (ParleyProcess node : new ParleyProcess[] {a, b}) {
            if (node != null) {
                node.kill();
            }
        }
    }

    @Test
    void joinsThroughAnotherNodeWaitForTheStalledMeetingNodeInsteadOfSplittingTheMeetingAndHoldNoThread()
            throws Exception {
        WebSession admin = new WebSession(a.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long room = RoomForms.schedule(admin, RoomForms.valid("Stalled", ZoneId.of("UTC"), 1));
        String slug = slug(admin, room);
        try (SignalingClient host = SignalingClient.connect(a.port())) {
            String hostId = join(host, admin.joinTicket(slug, "Host")).path("participantId").asText();
            ParleyProcess home = runningTheMeeting(admin, room).get(0);
            ParleyProcess other = home == a ? b : a;
            List<String> tickets = new ArrayList<>();
            for (int i = 1; i <= GUESTS; i++) {
                tickets.add(admin.joinTicket(slug, "Guest " + i));
            }

            CompletableFuture<Void> resumed = stall(home, STALL);
            List<SignalingClient> guests = new ArrayList<>();
            try {
                for (int i = 0; i < GUESTS; i++) {
                    guests.add(SignalingClient.connect(other.port()));
                }
                for (int i = 0; i < GUESTS; i++) {
                    guests.get(i).send(Map.of("type", "join", "ticket", tickets.get(i), "audio", false, "video",
                            false));
                }
                // Sent while the link is being opened: it waits, and follows the join to the meeting's node.
                guests.get(0).send(Map.of("type", "ping", "id", 7));
                Thread.sleep(1_000); // the joins are taken, and their links to the stalled node are being opened
                int status = new WebSession(other.baseUrl()).get("/login").status();
                assertThat(resumed.isDone()).as("the other node served a page while its %d joins waited for the "
                        + "stalled node (it has %d request threads): no thread waits for a forwarded link", GUESTS,
                        REQUEST_THREADS).isFalse();
                assertThat(status).isEqualTo(200);

                Set<String> joined = new HashSet<>();
                for (SignalingClient guest : guests) {
                    JsonNode welcome = guest.next("welcome", Duration.ofSeconds(40));
                    joined.add(welcome.path("participantId").asText());
                    List<String> others = new ArrayList<>();
                    welcome.path("participants").forEach(p -> others.add(p.path("id").asText()));
                    assertThat(others).as("each guest joined the meeting the host is in, after the stall; the logs:"
                            + "\n%s", LogTails.of(LOGS.toFile(), name -> name.endsWith(".log"))).contains(hostId);
                }
                resumed.get(10, TimeUnit.SECONDS);
                Set<String> told = new HashSet<>();
                for (int i = 0; i < GUESTS; i++) {
                    told.add(host.next("participant-joined", Duration.ofSeconds(10)).path("participant").path("id")
                            .asText());
                }
                assertThat(told).isEqualTo(joined).hasSize(GUESTS);
                assertThat(guests.get(0).next("pong").path("id").asInt()).as("the ping sent before the welcome is "
                        + "answered after it").isEqualTo(7);
                assertThat(runningTheMeeting(admin, room)).as("the meeting still runs on its node alone")
                        .containsExactly(home);
            } finally {
                guests.forEach(SignalingClient::close);
            }
        } finally {
            for (ParleyProcess node : new ParleyProcess[] {a, b}) {
                if (node.isAlive()) {
                    signal("CONT", node);
                }
            }
        }
    }

    @Test
    void aMeetingSplitByALongerStallBecomesOneAgainOnTheNodeWithMorePeople() throws Exception {
        WebSession admin = new WebSession(a.baseUrl()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long room = RoomForms.schedule(admin, RoomForms.valid("Split", ZoneId.of("UTC"), 1));
        String slug = slug(admin, room);
        try (SignalingClient host = SignalingClient.connect(a.port());
             SignalingClient cohost = SignalingClient.connect(a.port())) {
            String hostId = join(host, admin.joinTicket(slug, "Host")).path("participantId").asText();
            String cohostId = join(cohost, admin.joinTicket(slug, "Cohost")).path("participantId").asText();
            ParleyProcess home = runningTheMeeting(admin, room).get(0);
            ParleyProcess other = home == a ? b : a;
            String ticket = admin.joinTicket(slug, "Guest"); // the admin's session is on node a, which may stall

            CompletableFuture<Void> resumed = stall(home, LONG_STALL);
            try (SignalingClient guest = SignalingClient.connect(other.port())) {
                JsonNode alone = join(guest, ticket);
                assertThat(alone.path("participants").size())
                        .as("the stalled node did not answer: the guest's meeting was placed on the other node")
                        .isZero();
                assertThat(resumed.isDone()).as("the guest's meeting started while the home node stood still")
                        .isFalse();
                resumed.get(30, TimeUnit.SECONDS);
                JsonNode bye = guest.next("bye", Duration.ofSeconds(30));
                assertThat(bye.path("reason").asText()).as("the guest, alone in the smaller copy, is moved; the logs:"
                        + "\n%s", LogTails.of(LOGS.toFile(), name -> name.endsWith(".log"))).isEqualTo("moved");
            }
            try (SignalingClient guest = SignalingClient.connect(other.port())) {
                JsonNode welcome = join(guest, admin.joinTicket(slug, "Guest"));
                List<String> others = new ArrayList<>();
                welcome.path("participants").forEach(p -> others.add(p.path("id").asText()));
                assertThat(others).as("the guest, joining again, is in the host's meeting").containsExactlyInAnyOrder(
                        hostId, cohostId);
                assertThat(runningTheMeeting(admin, room)).as("one meeting, on the node that stalled")
                        .containsExactly(home);
            }
            host.send(Map.of("type", "ping"));
            assertThat(host.next("pong").path("type").asText()).as("the host stayed through it all").isEqualTo("pong");
        } finally {
            for (ParleyProcess node : new ParleyProcess[] {a, b}) {
                if (node.isAlive()) {
                    signal("CONT", node);
                }
            }
        }
    }

    /** Stops the node now (SIGSTOP) and lets it run again after {@code stall}: the future completes then. */
    private CompletableFuture<Void> stall(ParleyProcess node, Duration stall) throws IOException, InterruptedException {
        signal("STOP", node);
        CompletableFuture<Void> resumed = new CompletableFuture<>();
        timer.schedule(() -> {
            try {
                signal("CONT", node);
                resumed.complete(null);
            } catch (IOException | InterruptedException | RuntimeException e) {
                resumed.completeExceptionally(e);
            }
        }, stall.toMillis(), TimeUnit.MILLISECONDS);
        return resumed;
    }

    private static String slug(WebSession admin, long room) {
        return RoomForms.path(RoomForms.link(admin, room)).substring("/r/".length());
    }

    /** Joins without media; answers the welcome. */
    private static JsonNode join(SignalingClient client, String ticket) {
        client.send(Map.of("type", "join", "ticket", ticket, "audio", false, "video", false));
        return client.next("welcome", Duration.ofSeconds(40));
    }

    /** The nodes whose Admin -> Live offers to end the room's meeting as one of theirs: those that run it. */
    private List<ParleyProcess> runningTheMeeting(WebSession admin, long room) {
        List<ParleyProcess> running = new ArrayList<>();
        for (ParleyProcess node : new ParleyProcess[] {a, b}) {
            WebSession there = new WebSession(node.baseUrl());
            admin.cookie("PARLEY_SESSION").ifPresent(c -> there.addCookie(c.getName(), c.getValue()));
            if (!there.get("/admin/live").html().select("form[action$=/admin/live/rooms/" + room
                    + "/end] [data-testid=live-end]").isEmpty()) {
                running.add(node);
            }
        }
        return running;
    }

    private static void signal(String signal, ParleyProcess node) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }
}
