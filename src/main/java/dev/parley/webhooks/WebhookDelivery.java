package dev.parley.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One event on its way to one webhook: the exact body (the same on every attempt, so that {@code webhook-id} names one
 * message), how many attempts were made and when the next is due. Kept in the database so that a restart resumes
 * what was outstanding.
 */
@Entity
@Table(name = "webhook_delivery")
class WebhookDelivery {

    enum State { PENDING, DELIVERED, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "webhook_id", nullable = false)
    private long webhookId;

    @Column(name = "message_id", nullable = false, unique = true, length = 40)
    private String messageId;

    @Column(name = "event_type", nullable = false, length = 40)
    private String eventType;

    @Column(nullable = false, length = 16000)
    private String payload;

    @Column(nullable = false)
    private int attempts;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    /** When the next attempt is due; while one is under way, when it is given up for lost (a crash mid-send). */
    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected WebhookDelivery() {
    }

    WebhookDelivery(long webhookId, String messageId, String eventType, String payload, Instant now) {
        this.webhookId = webhookId;
        this.messageId = messageId;
        this.eventType = eventType;
        this.payload = payload;
        this.state = State.PENDING;
        this.nextAttemptAt = now;
        this.createdAt = now;
    }

    Long getId() {
        return id;
    }

    long getWebhookId() {
        return webhookId;
    }

    String getMessageId() {
        return messageId;
    }

    String getEventType() {
        return eventType;
    }

    String getPayload() {
        return payload;
    }

    int getAttempts() {
        return attempts;
    }

    State getState() {
        return state;
    }

    Instant getNextAttemptAt() {
        return nextAttemptAt;
    }
}
