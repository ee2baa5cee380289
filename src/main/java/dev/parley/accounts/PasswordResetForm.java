package dev.parley.accounts;

/** The new password chosen through a reset link; the link's token rides along in a hidden field. */
public class PasswordResetForm extends NewPasswordFields {

    private String token;

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }
}
