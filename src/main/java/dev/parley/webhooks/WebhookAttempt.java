package dev.parley.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One line of a webhook's delivery log: one attempt, its HTTP status or the error, and how long it took. */
@Entity
@Table(name = "webhook_attempt")
class WebhookAttempt {

    static final int MAX_ERROR_LENGTH = 200;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "webhook_id", nullable = false)
    private long webhookId;

    @Column(name = "delivery_id", nullable = false)
    private long deliveryId;

    @Column(name = "event_type", nullable = false, length = 40)
    private String eventType;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "attempted_at", nullable = false)
    private Instant attemptedAt;

    @Column(name = "status_code")
    private Integer statusCode;

    @Column(length = MAX_ERROR_LENGTH)
    private String error;

    @Column(name = "duration_ms", nullable = false)
    private long durationMs;

    protected WebhookAttempt() {
    }

    WebhookAttempt(WebhookDelivery delivery, int attempt, Instant attemptedAt, Integer statusCode, String error,
                   long durationMs) {
        this.webhookId = delivery.getWebhookId();
        this.deliveryId = delivery.getId();
        this.eventType = delivery.getEventType();
        this.attempt = attempt;
        this.attemptedAt = attemptedAt;
        this.statusCode = statusCode;
        this.error = error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
        this.durationMs = durationMs;
    }

    Long getId() {
        return id;
    }

    long getDeliveryId() {
        return deliveryId;
    }

    String getEventType() {
        return eventType;
    }

    int getAttempt() {
        return attempt;
    }

    Instant getAttemptedAt() {
        return attemptedAt;
    }

    Integer getStatusCode() {
        return statusCode;
    }

    String getError() {
        return error;
    }

    long getDurationMs() {
        return durationMs;
    }

    boolean isSuccess() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
