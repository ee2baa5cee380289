package dev.parley.webhooks;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Delivers webhooks off every request and meeting thread, on threads of its own:
 * <ul>
 * <li>{@code parley-webhook-intake}: events wait in a bounded queue ({@code queue-capacity}; when full, an event is
 *     dropped and logged rather than slowing the meeting) and are written down as deliveries;</li>
 * <li>{@code parley-webhook-dispatch}: looks for due deliveries at once after an event and every
 *     {@code poll-interval} (retries, and what a restart left pending), and hands at most {@code concurrency} at a
 *     time to</li>
 * <li>{@code parley-webhook-send-N}: one POST each, with short connect and response timeouts; redirects are not
 *     followed (a 3xx is a failure), and the response body is never read.</li>
 * </ul>
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Beyond the timeouts, how long a claimed delivery stays taken before it is tried again (a crash mid-send). */
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);
    /** How long a stop waits for the events still to be written down. */
    private static final Duration INTAKE_DRAIN = Duration.ofSeconds(5);
    /** How long a stop waits for a look for due deliveries under way. */
    private static final Duration DISPATCH_STOP = Duration.ofSeconds(2);
    /** How long a stop waits for the cut sends to give their leases back. */
    private static final Duration SENDERS_STOP = Duration.ofSeconds(2);

    private final WebhookDeliveries deliveries;
    private final WebhookProperties properties;
    private final Clock clock;
    private final HttpClient http;
    private final ThreadPoolExecutor intake;
    private final ScheduledExecutorService dispatch;
    private final ExecutorService senders;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The webhooks one of whose deliveries this worker is sending: one at a time each. */
    private final Set<Long> sending = ConcurrentHashMap.newKeySet();

    WebhookDispatcher(WebhookDeliveries deliveries, WebhookProperties properties, Clock clock) {
        this.deliveries = deliveries;
        this.properties = properties;
        this.clock = clock;
        this.intake = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queueCapacity()), named("parley-webhook-intake"));
        this.dispatch = Executors.newSingleThreadScheduledExecutor(named("parley-webhook-dispatch"));
        this.senders = Executors.newFixedThreadPool(properties.concurrency(), named("parley-webhook-send-"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        dispatch.scheduleWithFixedDelay(this::dispatchDue, 0, properties.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Events still waiting to be written down are written down first (a few seconds at most), so that the next start
     * (or another node) sends them; sends under way are cut, and due again at once, not counted as attempts.
     */
    @PreDestroy
    void stop() {
        // No new claims first: what the intake writes down now is left to another node or the next start.
        dispatch.shutdownNow();
        awaitQuietly(dispatch, DISPATCH_STOP);
        intake.shutdown();
        if (!awaitQuietly(intake, INTAKE_DRAIN)) {
            log.warn("Webhook events still waiting after {} s were dropped: {}", INTAKE_DRAIN.toSeconds(),
                    intake.shutdownNow().size());
        }
        for (Runnable neverRun : senders.shutdownNow()) {
            done(((Send) neverRun).delivery);
            release(((Send) neverRun).delivery);
        }
        // while the database is still there: the sends cut give their claims back
        awaitQuietly(senders, SENDERS_STOP);
    }

    private static boolean awaitQuietly(ExecutorService executor, Duration timeout) {
        try {
            return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Queues an event for the webhooks that want it; returns at once. {@code data} is built on the intake thread (it
     * may read the database).
     */
    void submit(WebhookEventType type, Instant at, Supplier<Map<String, Object>> data) {
        try {
            intake.execute(() -> {
                try {
                    if (deliveries.record(type, at, data.get()) > 0) {
                        wake();
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not record the webhook event {}: {}", type.wireName(), e.toString());
                }
            });
        } catch (RejectedExecutionException full) {
            log.warn("Webhook event {} dropped: {} events are already waiting", type.wireName(),
                    properties.queueCapacity());
        }
    }

    private void wake() {
        try {
            dispatch.execute(this::dispatchDue);
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("Webhook dispatch stopped");
        }
    }

    /** On the dispatch thread only: claims as many due deliveries as there are free senders. */
    private void dispatchDue() {
        try {
            int free = properties.concurrency() - inFlight.get();
            if (free <= 0) {
                return;
            }
            Duration lease = properties.connectTimeout().plus(properties.readTimeout()).plus(LEASE_MARGIN);
            List<WebhookDeliveries.Claimed> claimed = deliveries.claimDue(free, lease, Set.copyOf(sending));
            for (WebhookDeliveries.Claimed delivery : claimed) {
                inFlight.incrementAndGet();
                sending.add(delivery.webhookId());
                try {
                    senders.execute(new Send(delivery));
                } catch (RejectedExecutionException shuttingDown) {
                    done(delivery);
                    release(delivery);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Looking for due webhook deliveries failed: {}", e.toString());
        }
    }

    private void send(WebhookDeliveries.Claimed delivery) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        boolean cut = false;
        try {
            status = post(delivery, at);
        } catch (HttpTimeoutException e) {
            error = "timed out";
        } catch (ConnectException e) {
            error = "could not connect" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            cut = true; // by stop(): not the receiver's failure
        } finally {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            try {
                if (cut) {
                    release(delivery);
                } else {
                    deliveries.recordOutcome(delivery, at, status, error, durationMs);
                }
            } catch (RuntimeException e) {
                log.warn("Could not record the outcome of {}: {}", delivery, e.toString());
            } finally {
                done(delivery);
            }
            if (cut) {
                Thread.currentThread().interrupt();
            } else {
                wake();
            }
        }
    }

    private void done(WebhookDeliveries.Claimed delivery) {
        sending.remove(delivery.webhookId());
        inFlight.decrementAndGet();
    }

    /** A claimed delivery not sent after all (a stop): due again at once, not counted as an attempt. */
    private void release(WebhookDeliveries.Claimed delivery) {
        try {
            deliveries.release(delivery);
        } catch (RuntimeException e) {
            log.info("Could not give back the claim of {} (tried again once it runs out): {}", delivery, e.toString());
        }
    }

    /** A claimed delivery's send, which a stop that finds it still queued can name. */
    private final class Send implements Runnable {
        private final WebhookDeliveries.Claimed delivery;

        Send(WebhookDeliveries.Claimed delivery) {
            this.delivery = delivery;
        }

        @Override
        public void run() {
            send(delivery);
        }
    }

    /** One signed POST; returns the status. The signature's timestamp is the attempt's, the body the delivery's. */
    private int post(WebhookDeliveries.Claimed delivery, Instant at) throws IOException, InterruptedException {
        long timestamp = at.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(properties.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Parley-Webhooks/1")
                .header("webhook-id", delivery.messageId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(delivery.secret(), delivery.messageId(),
                        timestamp, delivery.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        // The body is not read: nothing in it matters, and so no receiver can make Parley read much or wait long.
        response.body().close();
        return response.statusCode();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        boolean numbered = prefix.endsWith("-");
        return runnable -> {
            Thread thread = new Thread(runnable, numbered ? prefix + count.incrementAndGet() : prefix);
            thread.setDaemon(true);
            return thread;
        };
    }
}
