package dev.parley.recording;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one row of recording settings an admin changes at run time: how long recordings last, and the disk quota. */
@Entity
@Table(name = "recording_settings")
class RecordingSettings {

    static final int ID = 1;

    @Id
    private Integer id;

    @Column(name = "retention_days", nullable = false)
    private int retentionDays;

    @Column(name = "quota_mb", nullable = false)
    private long quotaMegabytes;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RecordingSettings() {
    }

    int getRetentionDays() {
        return retentionDays;
    }

    long getQuotaMegabytes() {
        return quotaMegabytes;
    }

    void change(int retentionDays, long quotaMegabytes, Instant at) {
        this.retentionDays = retentionDays;
        this.quotaMegabytes = quotaMegabytes;
        this.updatedAt = at;
    }
}
