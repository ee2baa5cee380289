package dev.parley.recording;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * One recording of a room's meeting: who started it and when, until when it ran, and where its composed file stands.
 * Its files lie in a folder of its own, named by its random id ({@link RecordingFiles}).
 */
@Entity
@Table(name = "recording")
public class Recording {

    /** RECORDING while the meeting is recorded; COMPOSING while the composed file is made; then READY or FAILED. */
    public enum State { RECORDING, COMPOSING, READY, FAILED }

    @Id
    @Column(length = 32)
    private String id;

    @Column(name = "room_id", nullable = false)
    private long roomId;

    @Column(name = "started_by", nullable = false, length = 100)
    private String startedBy;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(name = "stop_reason", length = 32)
    private String stopReason;

    @Column(nullable = false)
    private boolean interrupted;

    @Column(name = "compose_progress", nullable = false)
    private int composeProgress;

    @Column(name = "composed_bytes")
    private Long composedBytes;

    @Column(name = "duration_ms")
    private Long durationMillis;

    @Column(length = 500)
    private String error;

    protected Recording() {
    }

    Recording(String id, long roomId, String startedBy, Instant startedAt) {
        this.id = id;
        this.roomId = roomId;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        this.state = State.RECORDING;
    }

    public String getId() {
        return id;
    }

    public long getRoomId() {
        return roomId;
    }

    public String getStartedBy() {
        return startedBy;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public State getState() {
        return state;
    }

    /** Why it stopped: stopped (by a host), meeting-ended, disk-full, failed, or shutdown. */
    public String getStopReason() {
        return stopReason;
    }

    /** Parley stopped while it ran (a crash, a kill): its tracks were recovered as far as they could be. */
    public boolean isInterrupted() {
        return interrupted;
    }

    public int getComposeProgress() {
        return composeProgress;
    }

    public Long getComposedBytes() {
        return composedBytes;
    }

    /** The recorded span, known once it ended. */
    public Duration getDuration() {
        if (durationMillis != null) {
            return Duration.ofMillis(durationMillis);
        }
        return endedAt == null ? null : Duration.between(startedAt, endedAt);
    }

    public String getError() {
        return error;
    }

    void ended(Instant at, String reason) {
        endedAt = at;
        stopReason = reason;
        durationMillis = Math.max(0, Duration.between(startedAt, at).toMillis());
        state = State.COMPOSING;
        composeProgress = 0;
    }

    void markInterrupted() {
        interrupted = true;
    }

    void progress(int percent) {
        composeProgress = Math.max(0, Math.min(100, percent));
    }

    void composed(long bytes) {
        state = State.READY;
        composeProgress = 100;
        composedBytes = bytes;
        error = null;
    }

    void failed(String why) {
        state = State.FAILED;
        error = why == null ? null : why.substring(0, Math.min(why.length(), 500));
    }
}
