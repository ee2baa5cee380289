package dev.parley.accounts;

import jakarta.validation.constraints.NotBlank;

/** The new password chosen through a reset link; the link's token rides along in a hidden field. */
public class PasswordResetForm {

    private String token;

    @NotBlank(message = "{password.newRequired}")
    private String newPassword;

    @NotBlank(message = "{password.confirmRequired}")
    private String confirmPassword;

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

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
        return "PasswordResetForm[***]";
    }
}
