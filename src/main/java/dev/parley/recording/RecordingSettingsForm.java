package dev.parley.recording;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The admins' recording settings as the form sends them. */
public class RecordingSettingsForm {

    @NotNull(message = "{admin.recordings.retention.range}")
    @Min(value = RecordingSettingsService.MIN_DAYS, message = "{admin.recordings.retention.range}")
    @Max(value = RecordingSettingsService.MAX_DAYS, message = "{admin.recordings.retention.range}")
    private Integer retentionDays;

    @NotNull(message = "{admin.recordings.quota.range}")
    @Min(value = RecordingSettingsService.MIN_QUOTA_MB, message = "{admin.recordings.quota.range}")
    @Max(value = RecordingSettingsService.MAX_QUOTA_MB, message = "{admin.recordings.quota.range}")
    private Long quotaMegabytes;

    public Integer getRetentionDays() {
        return retentionDays;
    }

    public void setRetentionDays(Integer retentionDays) {
        this.retentionDays = retentionDays;
    }

    public Long getQuotaMegabytes() {
        return quotaMegabytes;
    }

    public void setQuotaMegabytes(Long quotaMegabytes) {
        this.quotaMegabytes = quotaMegabytes;
    }
}
