package dev.parley.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A URL an admin registered, the events it wants and the secret its deliveries are signed with.
 *
 * <p>The secret is stored as it is, not hashed like Parley's other secrets: nobody presents it to Parley to be
 * checked; Parley itself needs it as the HMAC key of every delivery, so it must be read back. It is shown to the
 * admin once (when made or rotated), never logged, and never put into the audit log or the delivery log.
 */
@Entity
@Table(name = "webhook")
class Webhook {

    static final int MAX_URL_LENGTH = 2000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = MAX_URL_LENGTH)
    private String url;

    /** The events' wire names, comma-separated. */
    @Column(nullable = false, length = 500)
    private String events;

    @Column(nullable = false)
    private boolean enabled;

    @Column(nullable = false, length = 100)
    private String secret;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Webhook() {
    }

    Webhook(String url, List<WebhookEventType> events, boolean enabled, String secret, Instant now) {
        this.url = url;
        setEvents(events);
        this.enabled = enabled;
        this.secret = secret;
        this.createdAt = now;
        this.updatedAt = now;
    }

    Long getId() {
        return id;
    }

    String getUrl() {
        return url;
    }

    void setUrl(String url) {
        this.url = url;
    }

    /** The events it asked for that Parley still knows, in the order of {@link WebhookEventType}. */
    List<WebhookEventType> getEvents() {
        List<String> names = Arrays.asList(events.split(","));
        return Arrays.stream(WebhookEventType.values()).filter(t -> names.contains(t.wireName())).toList();
    }

    void setEvents(List<WebhookEventType> events) {
        this.events = String.join(",", events.stream().map(WebhookEventType::wireName).toList());
    }

    String eventNames() {
        return events;
    }

    boolean wants(WebhookEventType type) {
        return enabled && getEvents().contains(type);
    }

    boolean isEnabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    String getSecret() {
        return secret;
    }

    void setSecret(String secret) {
        this.secret = secret;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    void touch(Instant now) {
        this.updatedAt = now;
    }

    @Override
    public String toString() {
        return "Webhook[" + id + " " + url + "]"; // never the secret
    }
}
