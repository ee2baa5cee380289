package dev.parley.webhooks;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.audit.FieldChanges;
import dev.parley.common.NotFoundException;
import dev.parley.common.UserFacingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The webhooks admins register: made, changed, given a new secret and deleted, each change audited. */
@Service
public class Webhooks {

    private final WebhookRepository webhooks;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookAttemptRepository attempts;
    private final AuditLog audit;
    private final Clock clock;

    Webhooks(WebhookRepository webhooks, WebhookDeliveryRepository deliveries, WebhookAttemptRepository attempts,
             AuditLog audit, Clock clock) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.audit = audit;
        this.clock = clock;
    }

    /** A webhook as the admin pages show it: never its secret. */
    public record View(long id, String url, List<WebhookEventType> events, boolean enabled, long pending) {
    }

    /** One line of the delivery log. */
    public record LogLine(Instant at, String event, int attempt, Integer status, String error,
                          long durationMs, boolean success) {
    }

    /** A webhook just made or given a new secret, with the secret, to be shown this once. */
    public record WithSecret(long id, String secret) {
    }

    @Transactional(readOnly = true)
    public List<View> all() {
        return webhooks.findAllByOrderByIdAsc().stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    public View find(long id) {
        return view(webhook(id));
    }

    /** The latest attempts to deliver to the webhook, newest first. */
    @Transactional(readOnly = true)
    public List<LogLine> log(long id) {
        webhook(id);
        return attempts.findTop100ByWebhookIdOrderByAttemptedAtDescIdDesc(id).stream()
                .map(a -> new LogLine(a.getAttemptedAt(), a.getEventType(), a.getAttempt(), a.getStatusCode(),
                        a.getError(), a.getDurationMs(), a.isSuccess()))
                .toList();
    }

    @Transactional
    public WithSecret create(WebhookForm form) {
        String url = checkedUrl(form.getUrl());
        List<WebhookEventType> events = checkedEvents(form.getEvents());
        Webhook webhook = webhooks.save(new Webhook(url, events, form.isEnabled(), WebhookSignature.newSecret(),
                clock.instant()));
        audit.record(AuditAction.WEBHOOK_CREATED, describe(webhook), webhook.eventNames()
                + (webhook.isEnabled() ? "" : "; disabled"));
        return new WithSecret(webhook.getId(), webhook.getSecret());
    }

    @Transactional
    public void update(long id, WebhookForm form) {
        Webhook webhook = webhook(id);
        String url = checkedUrl(form.getUrl());
        List<WebhookEventType> events = checkedEvents(form.getEvents());
        String before = describe(webhook);
        FieldChanges changes = new FieldChanges()
                .add("url", webhook.getUrl(), url)
                .add("events", webhook.eventNames(), String.join(",", events.stream()
                        .map(WebhookEventType::wireName).toList()))
                .add("enabled", Boolean.toString(webhook.isEnabled()), Boolean.toString(form.isEnabled()));
        if (changes.isEmpty()) {
            return;
        }
        webhook.setUrl(url);
        webhook.setEvents(events);
        webhook.setEnabled(form.isEnabled());
        webhook.touch(clock.instant());
        audit.record(AuditAction.WEBHOOK_UPDATED, before, changes.toDetails());
    }

    /** A new secret: deliveries from now on (retries included) are signed with it, the old one stops at once. */
    @Transactional
    public WithSecret rotateSecret(long id) {
        Webhook webhook = webhook(id);
        webhook.setSecret(WebhookSignature.newSecret());
        webhook.touch(clock.instant());
        audit.record(AuditAction.WEBHOOK_SECRET_ROTATED, describe(webhook), null);
        return new WithSecret(webhook.getId(), webhook.getSecret());
    }

    /** Deletes the webhook with its outstanding deliveries and its log. */
    @Transactional
    public void delete(long id) {
        Webhook webhook = webhook(id);
        webhooks.delete(webhook);
        audit.record(AuditAction.WEBHOOK_DELETED, describe(webhook), null);
    }

    /**
     * The URL as it will be called: http or https, with a host, no user name or password in it (they would be shown
     * on the page and in logs), at most {@link Webhook#MAX_URL_LENGTH} characters.
     */
    static String checkedUrl(String text) {
        String url = text == null ? "" : text.strip();
        if (url.isEmpty()) {
            throw new UserFacingException("url", "webhook.url.required");
        }
        if (url.length() > Webhook.MAX_URL_LENGTH) {
            throw new UserFacingException("url", "webhook.url.size");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UserFacingException("url", "webhook.url.invalid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UserFacingException("url", "webhook.url.scheme");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UserFacingException("url", "webhook.url.invalid");
        }
        if (uri.getRawUserInfo() != null) {
            throw new UserFacingException("url", "webhook.url.userInfo");
        }
        return url;
    }

    static List<WebhookEventType> checkedEvents(List<String> names) {
        List<WebhookEventType> events = new ArrayList<>();
        for (String name : names == null ? List.<String>of() : names) {
            WebhookEventType type = WebhookEventType.byWireName(name).orElseThrow(() ->
                    new UserFacingException("events", "webhook.events.unknown"));
            if (!events.contains(type)) {
                events.add(type);
            }
        }
        if (events.isEmpty()) {
            throw new UserFacingException("events", "webhook.events.required");
        }
        return List.of(WebhookEventType.values()).stream().filter(events::contains).toList();
    }

    private Webhook webhook(long id) {
        return webhooks.findById(id).orElseThrow(() -> new NotFoundException("webhook " + id));
    }

    private View view(Webhook webhook) {
        return new View(webhook.getId(), webhook.getUrl(), webhook.getEvents(), webhook.isEnabled(),
                deliveries.countByWebhookIdAndState(webhook.getId(), WebhookDelivery.State.PENDING));
    }

    private static String describe(Webhook webhook) {
        return "webhook " + webhook.getId() + " " + webhook.getUrl();
    }
}
