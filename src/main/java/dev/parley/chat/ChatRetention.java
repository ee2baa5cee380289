package dev.parley.chat;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * How long kept chat and its files last (an admin's setting, 1 to 3650 days), and the hourly purge of what outlived
 * it, with the files no row names any more. (The files of meetings that did not end cleanly go at start:
 * meeting.MeetingFilesCleanup, which knows the meetings under way.)
 */
@Service
public class ChatRetention {

    private static final Logger log = LoggerFactory.getLogger(ChatRetention.class);
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;

    private final ChatSettingsRepository settings;
    private final ChatEntryRepository entries;
    private final SharedFiles files;
    private final AuditLog audit;
    private final Clock clock;

    ChatRetention(ChatSettingsRepository settings, ChatEntryRepository entries, SharedFiles files, AuditLog audit,
                  Clock clock) {
        this.settings = settings;
        this.entries = entries;
        this.files = files;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public int days() {
        return row().getRetentionDays();
    }

    /** An admin's change, audited; what is now older than the new retention goes at once. */
    @Transactional
    public void setDays(int days) {
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("retention must be " + MIN_DAYS + " to " + MAX_DAYS + " days");
        }
        ChatSettings row = row();
        int before = row.getRetentionDays();
        if (before == days) {
            return;
        }
        row.setRetentionDays(days, clock.instant());
        audit.record(AuditAction.CHAT_RETENTION_CHANGED, "chat", before + " -> " + days + " days");
        purge(clock.instant(), days);
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    @Transactional
    public void purge() {
        purge(clock.instant(), days());
    }

    private void purge(Instant now, int days) {
        Instant cutoff = now.minus(Duration.ofDays(days));
        int messages = entries.deleteSentBefore(cutoff);
        int kept = files.deleteKeptBefore(cutoff);
        int orphans = files.sweep();
        if (messages + kept + orphans > 0) {
            log.info("Chat retention ({} days): {} messages, {} files and {} left-over files removed", days,
                    messages, kept, orphans);
        }
    }

    private ChatSettings row() {
        return settings.findById(ChatSettings.ID).orElseThrow(() ->
                new IllegalStateException("chat_settings has no row; the V6 migration puts it there"));
    }
}
