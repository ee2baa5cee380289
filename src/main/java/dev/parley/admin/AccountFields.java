package dev.parley.admin;

import dev.parley.common.VisibleText;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An account's e-mail address and display name, with the rules they follow wherever an admin sets them. */
public abstract class AccountFields {

    @NotBlank(message = "{user.email.required}")
    @Email(message = "{user.email.invalid}")
    @Size(max = 254, message = "{user.email.tooLong}")
    private String email;

    @NotBlank(message = "{profile.displayName.required}")
    @Size(max = 100, message = "{profile.displayName.size}")
    @VisibleText
    private String displayName;

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }
}
