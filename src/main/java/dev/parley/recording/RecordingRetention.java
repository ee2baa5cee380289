package dev.parley.recording;

import dev.parley.rooms.RoomChangedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The admins' retention, hourly and at start: recordings that ended longer ago than the retention go (files and
 * row, each audited), and so do folders no recording names any more (their room was deleted, which takes the rows
 * with it, or Parley stopped between making a folder and its row); a deleted room's folders go at once.
 */
@Component
public class RecordingRetention {

    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
    /** A folder younger than this may belong to a recording whose row is being written now. */
    private static final Duration SWEEP_MIN_AGE = Duration.ofMinutes(10);
    /** Right after a room is deleted its recordings' folders go; only one begun this last minute waits for the hour. */
    private static final Duration ROOM_DELETED_MIN_AGE = Duration.ofMinutes(1);

    private final RecordingRows rows;
    private final RecordingFiles files;
    private final Recordings recordings;
    private final RecordingSettingsService settings;
    private final Recorder recorder;
    private final Clock clock;

    RecordingRetention(RecordingRows rows, RecordingFiles files, Recordings recordings,
                       RecordingSettingsService settings, Recorder recorder, Clock clock) {
        this.rows = rows;
        this.files = files;
        this.recordings = recordings;
        this.settings = settings;
        this.recorder = recorder;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        purge();
    }

    /** Removes what outlived the retention and sweeps folders without a row; returns how many of each went. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1H")
    public Result purge() {
        int days = settings.retentionDays();
        Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        int expired = 0;
        for (Recording recording : rows.endedBefore(cutoff)) {
            try {
                recordings.remove(recording, "retention of " + days + " days");
                expired++;
            } catch (RuntimeException e) {
                log.warn("Recording {} could not be removed: {}", recording.getId(), e.toString());
            }
        }
        int swept = sweep(SWEEP_MIN_AGE);
        if (expired + swept > 0) {
            log.info("Recording retention ({} days): {} recordings and {} left-over folders removed", days, expired,
                    swept);
        }
        return new Result(expired, swept);
    }

    /** A deleted room's recordings went with it (on delete cascade): their folders go now. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void roomDeleted(RoomChangedEvent event) {
        if (event.change() == RoomChangedEvent.Change.DELETED) {
            int swept = sweep(ROOM_DELETED_MIN_AGE);
            if (swept > 0) {
                log.info("Room {} deleted: {} recording folders removed", event.slug(), swept);
            }
        }
    }

    private int sweep(Duration minAge) {
        Set<String> known = new HashSet<>(rows.allIds());
        recorder.live().forEach(live -> known.add(live.id()));
        return files.sweep(known, clock.instant().minus(minAge));
    }

    /** What one purge removed. */
    public record Result(int expired, int swept) {
    }
}
