package dev.parley.rooms;

import dev.parley.accounts.UserAccount;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A scheduled meeting room, reachable by anyone holding its unguessable link /r/{slug}. */
@Entity
@Table(name = "room")
public class Room {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 32)
    private String slug;

    @Column(nullable = false, length = 120)
    private String title;

    @Column(length = 2000)
    private String description;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "host_id", nullable = false)
    private UserAccount host;

    @Column(name = "starts_at", nullable = false)
    private Instant startsAt;

    @Column(name = "time_zone", nullable = false, length = 64)
    private String timeZone;

    @Column(name = "duration_minutes", nullable = false)
    private int durationMinutes;

    @Column(name = "weekly_occurrences", nullable = false)
    private int weeklyOccurrences = 1;

    @Column(name = "passcode_hash")
    private String passcodeHash;

    @Column(name = "lobby_enabled", nullable = false)
    private boolean lobbyEnabled;

    @Column(name = "chat_kept", nullable = false)
    private boolean chatKept;

    @Column(name = "auto_record", nullable = false)
    private boolean autoRecord;

    @Column(name = "guests_allowed", nullable = false)
    private boolean guestsAllowed;

    @Column(name = "max_participants", nullable = false)
    private int maxParticipants;

    @Column(name = "cancelled_at")
    private Instant cancelledAt;

    @Column(name = "opened_at")
    private Instant openedAt;

    @Column(name = "stream_token", length = 64)
    private String streamToken;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Room() {
    }

    public Room(String slug, UserAccount host, Instant now) {
        this.slug = slug;
        this.host = host;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public RoomSchedule schedule() {
        return new RoomSchedule(startsAt, ZoneId.of(timeZone), Duration.ofMinutes(durationMinutes), weeklyOccurrences);
    }

    public boolean isCancelled() {
        return cancelledAt != null;
    }

    public boolean hasPasscode() {
        return passcodeHash != null;
    }

    public boolean isHostedBy(long userId) {
        return host.getId() == userId;
    }

    public Long getId() {
        return id;
    }

    public String getSlug() {
        return slug;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public UserAccount getHost() {
        return host;
    }

    public void setHost(UserAccount host) {
        this.host = host;
    }

    public Instant getStartsAt() {
        return startsAt;
    }

    public void setStartsAt(Instant startsAt) {
        this.startsAt = startsAt;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public int getDurationMinutes() {
        return durationMinutes;
    }

    public void setDurationMinutes(int durationMinutes) {
        this.durationMinutes = durationMinutes;
    }

    public int getWeeklyOccurrences() {
        return weeklyOccurrences;
    }

    public void setWeeklyOccurrences(int weeklyOccurrences) {
        this.weeklyOccurrences = weeklyOccurrences;
    }

    public String getPasscodeHash() {
        return passcodeHash;
    }

    public void setPasscodeHash(String passcodeHash) {
        this.passcodeHash = passcodeHash;
    }

    public boolean isLobbyEnabled() {
        return lobbyEnabled;
    }

    public void setLobbyEnabled(boolean lobbyEnabled) {
        this.lobbyEnabled = lobbyEnabled;
    }

    /** Whether the chat of this room's meetings (to everyone) is kept afterwards, for the admins' retention. */
    public boolean isChatKept() {
        return chatKept;
    }

    /** The meeting is recorded from its first arrival, without a host starting it. */
    public boolean isAutoRecord() {
        return autoRecord;
    }

    public void setAutoRecord(boolean autoRecord) {
        this.autoRecord = autoRecord;
    }

    public void setChatKept(boolean chatKept) {
        this.chatKept = chatKept;
    }

    public boolean isGuestsAllowed() {
        return guestsAllowed;
    }

    public void setGuestsAllowed(boolean guestsAllowed) {
        this.guestsAllowed = guestsAllowed;
    }

    public int getMaxParticipants() {
        return maxParticipants;
    }

    public void setMaxParticipants(int maxParticipants) {
        this.maxParticipants = maxParticipants;
    }

    public Instant getCancelledAt() {
        return cancelledAt;
    }

    public void setCancelledAt(Instant cancelledAt) {
        this.cancelledAt = cancelledAt;
    }

    public Instant getOpenedAt() {
        return openedAt;
    }

    public void setOpenedAt(Instant openedAt) {
        this.openedAt = openedAt;
    }

    public String getStreamToken() {
        return streamToken;
    }

    public void setStreamToken(String streamToken) {
        this.streamToken = streamToken;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
    }
}
