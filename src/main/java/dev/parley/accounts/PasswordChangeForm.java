package dev.parley.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public class PasswordChangeForm extends NewPasswordFields {

    @NotBlank(message = "{password.currentRequired}")
    @Size(max = 128, message = "{password.currentWrong}")
    private String currentPassword;

    public String getCurrentPassword() {
        return currentPassword;
    }

    public void setCurrentPassword(String currentPassword) {
        this.currentPassword = currentPassword;
    }
}
