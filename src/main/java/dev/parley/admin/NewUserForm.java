package dev.parley.admin;

import dev.parley.accounts.Role;
import dev.parley.common.VisibleText;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public class NewUserForm {

    @NotBlank(message = "{user.email.required}")
    @Email(message = "{user.email.invalid}")
    @Size(max = 254, message = "{user.email.tooLong}")
    private String email;

    @NotBlank(message = "{profile.displayName.required}")
    @Size(max = 100, message = "{profile.displayName.size}")
    @VisibleText
    private String displayName;

    @NotNull(message = "{user.role.required}")
    private Role role = Role.MEMBER;

    @NotBlank(message = "{password.newRequired}")
    private String newPassword;

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

    public Role getRole() {
        return role;
    }

    public void setRole(Role role) {
        this.role = role;
    }

    public String getNewPassword() {
        return newPassword;
    }

    public void setNewPassword(String newPassword) {
        this.newPassword = newPassword;
    }

    @Override
    public String toString() {
        return "NewUserForm[email=" + email + ", role=" + role + "]";
    }
}
