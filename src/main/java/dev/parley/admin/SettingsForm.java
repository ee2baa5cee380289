package dev.parley.admin;

import dev.parley.chat.ChatRetention;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The settings an admin changes while Parley runs. */
public class SettingsForm {

    @NotNull(message = "{admin.settings.retention.range}")
    @Min(value = ChatRetention.MIN_DAYS, message = "{admin.settings.retention.range}")
    @Max(value = ChatRetention.MAX_DAYS, message = "{admin.settings.retention.range}")
    private Integer chatRetentionDays;

    public Integer getChatRetentionDays() {
        return chatRetentionDays;
    }

    public void setChatRetentionDays(Integer chatRetentionDays) {
        this.chatRetentionDays = chatRetentionDays;
    }
}
