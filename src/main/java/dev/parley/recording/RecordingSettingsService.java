package dev.parley.recording;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The admins' recording settings: how many days recordings last (1 to 3650) and the disk quota (100 MB to 100 TB). */
@Service
public class RecordingSettingsService {

    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;
    public static final long MIN_QUOTA_MB = 100;
    public static final long MAX_QUOTA_MB = 100L * 1024 * 1024;

    private final RecordingSettingsRepository settings;
    private final AuditLog audit;
    private final Clock clock;

    RecordingSettingsService(RecordingSettingsRepository settings, AuditLog audit, Clock clock) {
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public int retentionDays() {
        return row().getRetentionDays();
    }

    @Transactional(readOnly = true)
    public long quotaMegabytes() {
        return row().getQuotaMegabytes();
    }

    @Transactional(readOnly = true)
    public long quotaBytes() {
        return row().getQuotaMegabytes() * 1024 * 1024;
    }

    /** An admin's change, audited. */
    @Transactional
    public void change(int days, long quotaMegabytes) {
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("retention must be " + MIN_DAYS + " to " + MAX_DAYS + " days");
        }
        if (quotaMegabytes < MIN_QUOTA_MB || quotaMegabytes > MAX_QUOTA_MB) {
            throw new IllegalArgumentException("the quota must be " + MIN_QUOTA_MB + " to " + MAX_QUOTA_MB + " MB");
        }
        RecordingSettings row = row();
        if (row.getRetentionDays() == days && row.getQuotaMegabytes() == quotaMegabytes) {
            return;
        }
        String details = row.getRetentionDays() + " -> " + days + " days; " + row.getQuotaMegabytes() + " -> "
                + quotaMegabytes + " MB";
        row.change(days, quotaMegabytes, clock.instant());
        audit.record(AuditAction.RECORDING_SETTINGS_CHANGED, "recordings", details);
    }

    private RecordingSettings row() {
        return settings.findById(RecordingSettings.ID)
                .orElseThrow(() -> new IllegalStateException("the recording_settings row is missing"));
    }
}
