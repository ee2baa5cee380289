package dev.parley.admin;

import dev.parley.accounts.Role;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

public class NewUserForm extends AccountFields {

    @NotNull(message = "{user.role.required}")
    private Role role = Role.MEMBER;

    @NotBlank(message = "{password.newRequired}")
    private String newPassword;

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
        return "NewUserForm[email=" + getEmail() + ", role=" + role + "]";
    }
}
