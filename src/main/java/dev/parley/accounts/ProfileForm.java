package dev.parley.accounts;

import dev.parley.common.OfferedTimeZone;
import dev.parley.common.VisibleText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public class ProfileForm {

    @NotBlank(message = "{profile.displayName.required}")
    @Size(max = 100, message = "{profile.displayName.size}")
    @VisibleText
    private String displayName;

    @OfferedTimeZone(message = "{profile.badTimeZone}")
    private String timeZone;

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
