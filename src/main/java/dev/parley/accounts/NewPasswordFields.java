package dev.parley.accounts;

import jakarta.validation.constraints.NotBlank;

/** A new password typed twice: what the password change form and the reset-by-e-mail form share. */
public abstract class NewPasswordFields {

    @NotBlank(message = "{password.newRequired}")
    private String newPassword;

    @NotBlank(message = "{password.confirmRequired}")
    private String confirmPassword;

    public String getNewPassword() {
        return newPassword;
    }

    public void setNewPassword(String newPassword) {
        this.newPassword = newPassword;
    }

    public String getConfirmPassword() {
        return confirmPassword;
    }

    public void setConfirmPassword(String confirmPassword) {
        this.confirmPassword = confirmPassword;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[***]"; // never a password
    }
}
