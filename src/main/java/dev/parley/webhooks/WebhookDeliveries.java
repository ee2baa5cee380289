package dev.parley.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.common.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The deliveries in the database: written when an event happens (one per webhook that wants it), claimed when due,
 * and after each attempt either finished or given its next time, with a line in the delivery log. What is pending
 * survives a restart; a claim is a lease, so a delivery whose attempt was cut short by a crash is tried again later.
 * Several Parleys may share the database: each delivery is claimed by exactly one of them at a time.
 */
@Service
class WebhookDeliveries {

    /** Due deliveries read for each free sender, and at most: see {@link #claimDue(int, Duration, Set)}. */
    private static final int PAGE_PER_SENDER = 8;
    private static final int MAX_PAGE = 256;

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);

    private final WebhookRepository webhooks;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookAttemptRepository attempts;
    private final WebhookProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    WebhookDeliveries(WebhookRepository webhooks, WebhookDeliveryRepository deliveries,
                      WebhookAttemptRepository attempts, WebhookProperties properties, ObjectMapper json,
                      Clock clock) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A delivery taken for one attempt: what to send where, and with which secret to sign it; {@code leaseUntil} is
     * when the claim runs out and names it (only its holder notes the attempt's outcome).
     */
    record Claimed(long deliveryId, long webhookId, String url, String secret, String messageId, String payload,
                   int attempt, Instant leaseUntil) {

        @Override
        public String toString() {
            return "Claimed[" + deliveryId + " " + messageId + " to " + url + ", attempt " + attempt + "]";
        }
    }

    /**
     * Writes the event down for each enabled webhook that wants it, each with a message id of its own (the payload's
     * {@code id} and the {@code webhook-id} header, the same on every retry). Returns how many.
     */
    @Transactional
    public int record(WebhookEventType type, Instant at, Map<String, Object> data) {
        int count = 0;
        for (Webhook webhook : webhooks.findByEnabledTrue()) {
            if (!webhook.wants(type)) {
                continue;
            }
            String messageId = "msg_" + SecretTokens.random(18);
            deliveries.save(new WebhookDelivery(webhook.getId(), messageId, type.wireName(),
                    payload(messageId, type, at, data), clock.instant()));
            count++;
        }
        return count;
    }

    private String payload(String messageId, WebhookEventType type, Instant at, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", messageId);
        body.put("type", type.wireName());
        body.put("timestamp", at.toString());
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook payload cannot be written as JSON", e);
        }
    }

    /**
     * Takes up to {@code limit} due deliveries for an attempt each, leasing them for {@code lease}. Several Parleys
     * on one database may look at once: each delivery is taken by a conditional update that only one of them wins
     * (the others skip it). A worker that dies holding a lease leaves the delivery pending; it is due again when the
     * lease runs out.
     */
    @Transactional
    public List<Claimed> claimDue(int limit, Duration lease) {
        return claimDue(limit, lease, Set.of());
    }

    /**
     * As above, at most one per webhook, and none for the webhooks in {@code busy} (this worker is sending one of
     * theirs): a receiver that is slow or never answers holds one sender, not all of them, and each receiver gets its
     * deliveries one after the other.
     */
    @Transactional
    public List<Claimed> claimDue(int limit, Duration lease, Set<Long> busy) {
        Instant now = clock.instant();
        // Whole milliseconds: the lease is compared for equality when the outcome is noted, after a round trip.
        Instant leaseUntil = now.plus(lease).truncatedTo(ChronoUnit.MILLIS);
        List<Long> excluded = busy.isEmpty() ? List.of(-1L) : List.copyOf(busy); // an IN list is never empty
        // More rows than senders: one receiver's backlog, one at a time, must not fill the page and idle the rest.
        List<WebhookDelivery> due = new ArrayList<>(deliveries.findDue(WebhookDelivery.State.PENDING, now, excluded,
                PageRequest.of(0, Math.min(limit * PAGE_PER_SENDER, MAX_PAGE))));
        // Rows locked in one order by every worker: racing claims wait for each other instead of deadlocking.
        due.sort(Comparator.comparing(WebhookDelivery::getId));
        List<Claimed> claimed = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        for (WebhookDelivery delivery : due) {
            if (claimed.size() == limit) {
                break;
            }
            if (!taken.add(delivery.getWebhookId())) {
                continue; // its webhook's earlier delivery goes first
            }
            Optional<Webhook> webhook = webhooks.findById(delivery.getWebhookId());
            if (webhook.isEmpty() || deliveries.lease(delivery.getId(), WebhookDelivery.State.PENDING,
                    delivery.getAttempts(), now, leaseUntil) == 0) {
                continue;
            }
            claimed.add(new Claimed(delivery.getId(), delivery.getWebhookId(), webhook.get().getUrl(),
                    webhook.get().getSecret(),
                    delivery.getMessageId(), delivery.getPayload(), delivery.getAttempts() + 1, leaseUntil));
        }
        return claimed;
    }

    /**
     * An attempt cut short by its worker's stop (a node shutting down) is not counted: the delivery is due again at
     * once, for another worker or the next start. The receiver may have had it; its webhook-id tells it so.
     */
    @Transactional
    public void release(Claimed claimed) {
        deliveries.release(claimed.deliveryId(), WebhookDelivery.State.PENDING, claimed.attempt() - 1,
                claimed.leaseUntil(), clock.instant());
    }

    /**
     * Notes an attempt's outcome: a 2xx status finishes the delivery; anything else (another status, or the error
     * when there was none) schedules the next attempt after the back-off, or gives up after the last. Nothing is
     * noted when the claim no longer holds: its webhook was deleted meanwhile, or the attempt outlived its lease and
     * another worker took the delivery.
     */
    @Transactional
    public void recordOutcome(Claimed claimed, Instant at, Integer status, String error, long durationMs) {
        Optional<WebhookDelivery> found = deliveries.findById(claimed.deliveryId());
        if (found.isEmpty()) {
            return;
        }
        WebhookDelivery delivery = found.get();
        boolean delivered = status != null && status >= 200 && status < 300;
        Instant next = delivered || claimed.attempt() >= properties.maxAttempts() ? null
                : clock.instant().plus(properties.delayAfter(claimed.attempt()));
        WebhookDelivery.State state = delivered ? WebhookDelivery.State.DELIVERED
                : next == null ? WebhookDelivery.State.FAILED : WebhookDelivery.State.PENDING;
        if (deliveries.attempted(delivery.getId(), WebhookDelivery.State.PENDING, claimed.attempt() - 1,
                claimed.leaseUntil(), state, next) == 0) {
            log.info("Webhook delivery {} ({}): attempt {} outlived its lease; another attempt notes the outcome",
                    delivery.getMessageId(), delivery.getEventType(), claimed.attempt());
            return;
        }
        attempts.save(new WebhookAttempt(delivery, claimed.attempt(), at, status, error, durationMs));
        if (state == WebhookDelivery.State.FAILED) {
            log.info("Webhook delivery {} ({}) given up after {} attempts", delivery.getMessageId(),
                    delivery.getEventType(), claimed.attempt());
        }
    }

    /** Deliveries (finished or not) and log lines older than the retention go; hourly. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT2M")
    @Transactional
    public void prune() {
        Instant cutoff = clock.instant().minus(properties.logRetention());
        int lines = attempts.deleteAttemptedBefore(cutoff);
        int old = deliveries.deleteCreatedBefore(cutoff);
        if (lines + old > 0) {
            log.info("Webhook log pruned: {} deliveries and {} attempts older than {}", old, lines,
                    properties.logRetention());
        }
    }
}
