package dev.parley.chat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one row of chat settings an admin changes at run time: how long kept chat and shared files are kept. */
@Entity
@Table(name = "chat_settings")
class ChatSettings {

    static final int ID = 1;

    @Id
    private Integer id;

    @Column(name = "retention_days", nullable = false)
    private int retentionDays;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ChatSettings() {
    }

    int getRetentionDays() {
        return retentionDays;
    }

    void setRetentionDays(int retentionDays, Instant at) {
        this.retentionDays = retentionDays;
        this.updatedAt = at;
    }
}
