package dev.parley.calendar;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A host's private calendar feed, known here only by its token's SHA-256 hash. One per account at most. */
@Entity
@Table(name = "calendar_feed")
class CalendarFeed {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "user_id", nullable = false, unique = true)
    private long userId;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CalendarFeed() {
    }

    CalendarFeed(long userId, String tokenHash, Instant createdAt) {
        this.userId = userId;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
    }

    /** A new address: the old token stops working. */
    void replaceToken(String tokenHash, Instant now) {
        this.tokenHash = tokenHash;
        this.createdAt = now;
    }

    Long getId() {
        return id;
    }

    long getUserId() {
        return userId;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}
