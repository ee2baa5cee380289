package dev.parley.api;

import dev.parley.accounts.Role;
import dev.parley.common.VisibleText;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A new account: the rules of Admin → Users → New (admin.AccountFields), and the password policy in the service. */
public record NewUserJson(
        @NotBlank(message = "{user.email.required}") @Email(message = "{user.email.invalid}")
        @Size(max = 254, message = "{user.email.tooLong}") String email,
        @NotBlank(message = "{profile.displayName.required}") @Size(max = 100, message = "{profile.displayName.size}")
        @VisibleText String displayName,
        @NotNull(message = "{user.role.required}") Role role,
        @NotBlank(message = "{password.newRequired}") String password) {

    @Override
    public String toString() {
        return "NewUserJson[email=" + email + ", role=" + role + "]";
    }
}
