package dev.parley.rooms;

import dev.parley.common.OfferedTimeZone;
import dev.parley.common.VisibleText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.springframework.format.annotation.DateTimeFormat;

/** What a host fills in to schedule or edit a room. The start is wall-clock time in the chosen zone. */
public class RoomForm {

    public static final int DEFAULT_MAX_PARTICIPANTS = 25;
    public static final int MAX_PARTICIPANTS_LIMIT = 500;

    @NotBlank(message = "{room.title.required}")
    @Size(max = 120, message = "{room.title.size}")
    @VisibleText
    private String title;

    @Size(max = 2000, message = "{room.description.size}")
    @VisibleText(multiLine = true)
    private String description;

    @NotNull(message = "{room.start.required}")
    @DateTimeFormat(pattern = "yyyy-MM-dd'T'HH:mm")
    private LocalDateTime start;

    @NotBlank(message = "{room.timeZone.required}")
    @OfferedTimeZone(message = "{room.timeZone.invalid}")
    private String timeZone;

    @NotNull(message = "{room.duration.required}")
    @Min(value = 5, message = "{room.duration.range}")
    @Max(value = 1440, message = "{room.duration.range}")
    private Integer durationMinutes = 60;

    private boolean repeatWeekly;

    @Min(value = 2, message = "{room.occurrences.range}")
    @Max(value = 52, message = "{room.occurrences.range}")
    private Integer occurrences;

    @Size(max = 64, message = "{room.passcode.size}")
    @Pattern(regexp = "^$|^\\S{4,64}$", message = "{room.passcode.size}")
    private String passcode;

    private boolean removePasscode;

    private boolean lobbyEnabled;

    private boolean chatKept;

    private boolean autoRecord;

    private boolean guestsAllowed = true;

    @NotNull(message = "{room.maxParticipants.range}")
    @Min(value = 2, message = "{room.maxParticipants.range}")
    @Max(value = MAX_PARTICIPANTS_LIMIT, message = "{room.maxParticipants.range}")
    private Integer maxParticipants = DEFAULT_MAX_PARTICIPANTS;

    public static RoomForm forNewRoom(ZoneId zone, LocalDateTime suggestedStart) {
        RoomForm form = new RoomForm();
        form.setTimeZone(zone.getId());
        form.setStart(suggestedStart.truncatedTo(ChronoUnit.MINUTES));
        return form;
    }

    public static RoomForm of(Room room) {
        RoomForm form = new RoomForm();
        form.title = room.getTitle();
        form.description = room.getDescription();
        ZoneId zone = ZoneId.of(room.getTimeZone());
        form.start = LocalDateTime.ofInstant(room.getStartsAt(), zone);
        form.timeZone = room.getTimeZone();
        form.durationMinutes = room.getDurationMinutes();
        form.repeatWeekly = room.getWeeklyOccurrences() > 1;
        form.occurrences = form.repeatWeekly ? room.getWeeklyOccurrences() : null;
        form.lobbyEnabled = room.isLobbyEnabled();
        form.chatKept = room.isChatKept();
        form.autoRecord = room.isAutoRecord();
        form.guestsAllowed = room.isGuestsAllowed();
        form.maxParticipants = room.getMaxParticipants();
        return form;
    }

    /** 1 when the room does not repeat. */
    public int weeklyOccurrences() {
        return repeatWeekly && occurrences != null ? occurrences : 1;
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

    public LocalDateTime getStart() {
        return start;
    }

    public void setStart(LocalDateTime start) {
        this.start = start;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public Integer getDurationMinutes() {
        return durationMinutes;
    }

    public void setDurationMinutes(Integer durationMinutes) {
        this.durationMinutes = durationMinutes;
    }

    public boolean isRepeatWeekly() {
        return repeatWeekly;
    }

    public void setRepeatWeekly(boolean repeatWeekly) {
        this.repeatWeekly = repeatWeekly;
    }

    public Integer getOccurrences() {
        return occurrences;
    }

    public void setOccurrences(Integer occurrences) {
        this.occurrences = occurrences;
    }

    public String getPasscode() {
        return passcode;
    }

    public void setPasscode(String passcode) {
        this.passcode = passcode;
    }

    public boolean isRemovePasscode() {
        return removePasscode;
    }

    public void setRemovePasscode(boolean removePasscode) {
        this.removePasscode = removePasscode;
    }

    public boolean isLobbyEnabled() {
        return lobbyEnabled;
    }

    public void setLobbyEnabled(boolean lobbyEnabled) {
        this.lobbyEnabled = lobbyEnabled;
    }

    public boolean isAutoRecord() {
        return autoRecord;
    }

    public void setAutoRecord(boolean autoRecord) {
        this.autoRecord = autoRecord;
    }

    public boolean isChatKept() {
        return chatKept;
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

    public Integer getMaxParticipants() {
        return maxParticipants;
    }

    public void setMaxParticipants(Integer maxParticipants) {
        this.maxParticipants = maxParticipants;
    }
}
