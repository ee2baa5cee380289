package dev.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several Parleys on one database: besides the application's own delivery worker, a second one (its own dispatch
 * and sender threads and HTTP client, as another node has) looks for due deliveries in the same database, both every
 * 100 ms. Every event reaches the receiver started here exactly once, and a delivery claimed by a worker that then
 * dies is sent when its lease runs out, the dead worker's late word on it being ignored. Each database gets a subclass
 * with a database of its own.
 */
abstract class WebhookWorkersContract {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int EVENTS = 150;

    @LocalServerPort
    int port;

    @Autowired
    WebhookDispatcher ownWorker;

    @Autowired
    WebhookDeliveries deliveries;

    @Autowired
    WebhookDeliveryRepository deliveryRows;

    @Autowired
    WebhookAttemptRepository attempts;

    @Autowired
    WebhookProperties properties;

    @Autowired
    Clock clock;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    HttpServer receiver;
    ExecutorService receiverThreads;
    WebhookDispatcher secondWorker;
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    @BeforeEach
    void startReceiverAndSecondWorker() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiverThreads = Executors.newFixedThreadPool(16);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", this::answer);
        receiver.start();
        secondWorker = new WebhookDispatcher(deliveries, properties, clock);
        secondWorker.start();
    }

    /** The webhook goes, and its deliveries and log with it. */
    @AfterEach
    void stop() {
        jdbc.update("delete from webhook");
        secondWorker.stop();
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }

    /** A receiver that takes a little while, so that deliveries queue up and both workers go for the same ones. */
    private void answer(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        received.computeIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), id -> new AtomicInteger())
                .incrementAndGet();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    @Test
    void twoWorkersOnOneDatabaseDeliverEveryEventExactlyOnce() {
        register();
        for (int i = 0; i < EVENTS; i++) {
            // as two nodes do: each writes down the events that happen on it and wakes its own dispatcher
            (i % 2 == 0 ? ownWorker : secondWorker).submit(WebhookEventType.MEETING_ENDED, Instant.now(),
                    () -> Map.of("room", Map.of("id", 1)));
        }
        await().atMost(WAIT).until(() -> deliveryRows.findAll().stream()
                .filter(d -> d.getState() == WebhookDelivery.State.DELIVERED).count() == EVENTS);

        List<WebhookDelivery> rows = deliveryRows.findAll();
        assertThat(rows).hasSize(EVENTS).allSatisfy(d -> {
            assertThat(d.getState()).isEqualTo(WebhookDelivery.State.DELIVERED);
            assertThat(d.getAttempts()).as("attempts of %s", d.getMessageId()).isEqualTo(1);
        });
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(
                rows.stream().map(WebhookDelivery::getMessageId).toList());
        assertThat(received).allSatisfy((id, count) -> assertThat(count.get()).as("deliveries of %s", id)
                .isEqualTo(1));
        assertThat(attempts.findAll()).hasSize(EVENTS);
    }

    @Test
    void aDeadWorkersClaimIsTakenOverWhenItsLeaseRunsOut() {
        register();
        // A worker writes an event down and claims it in one go (so that no other worker sees it unclaimed), then
        // dies before sending: it never notes an outcome.
        WebhookDeliveries.Claimed dead = transactions.execute(status -> {
            deliveries.record(WebhookEventType.MEETING_ENDED, Instant.now(), Map.of("room", Map.of("id", 2)));
            List<WebhookDeliveries.Claimed> claimed = deliveries.claimDue(1, Duration.ofSeconds(2));
            assertThat(claimed).hasSize(1);
            return claimed.get(0);
        });
        WebhookDelivery leased = deliveryRows.findById(dead.deliveryId()).orElseThrow();
        assertThat(leased.getState()).isEqualTo(WebhookDelivery.State.PENDING);
        assertThat(leased.getNextAttemptAt()).as("held until the lease runs out").isEqualTo(dead.leaseUntil());

        await().atMost(WAIT).until(() -> received.containsKey(dead.messageId()));
        await().atMost(WAIT).until(() -> deliveryRows.findById(dead.deliveryId()).orElseThrow().getState()
                == WebhookDelivery.State.DELIVERED);
        assertThat(received.get(dead.messageId()).get()).isEqualTo(1);

        // The dead worker's word comes late: the delivery is someone else's by then, and it changes nothing.
        deliveries.recordOutcome(dead, Instant.now(), 500, null, 1);
        WebhookDelivery delivery = deliveryRows.findById(dead.deliveryId()).orElseThrow();
        assertThat(delivery.getState()).isEqualTo(WebhookDelivery.State.DELIVERED);
        assertThat(delivery.getAttempts()).isEqualTo(1);
        assertThat(attempts.findAll().stream().filter(a -> a.getDeliveryId() == dead.deliveryId()).toList())
                .singleElement().satisfies(a -> {
                    assertThat(a.getAttempt()).isEqualTo(1);
                    assertThat(a.getStatusCode()).isEqualTo(204);
                });
    }

    /**
     * A worker that stops (its node shuts down) writes down the events still waiting first: another worker, or the
     * next start, sends them. Its intake is held on the first event for a second, so the others are still queued when it stops.
     */
    @Test
    void eventsWaitingAtAStopAreWrittenDownFirst() {
        register();
        WebhookDispatcher stopping = new WebhookDispatcher(deliveries, properties, clock);
        stopping.submit(WebhookEventType.MEETING_ENDED, Instant.now(), () -> {
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            boolean interrupted = false;
            while (System.nanoTime() < until) {
                try {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return Map.of("room", Map.of("id", 0));
        });
        for (int i = 1; i <= 4; i++) {
            int room = i;
            stopping.submit(WebhookEventType.MEETING_ENDED, Instant.now(), () -> Map.of("room", Map.of("id", room)));
        }
        stopping.stop();
        assertThat(deliveryRows.findAll()).as("the first and the four queued behind it").hasSize(5);
        await().atMost(WAIT).until(() -> deliveryRows.findAll().stream()
                .allMatch(d -> d.getState() == WebhookDelivery.State.DELIVERED)); // by the workers still running
    }

    /** A webhook for meeting.ended to the receiver, through Admin -> Webhooks: the only one in this database. */
    private void register() {
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        WebSession.Page list = admin.get("/admin/webhooks");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        fields.put("events", "meeting.ended");
        fields.put("enabled", "true");
        WebSession.Page created = admin.post("/admin/webhooks", list.csrfToken(), fields);
        assertThat(created.status()).as("created: %s", created.body()).isEqualTo(302);
    }
}
