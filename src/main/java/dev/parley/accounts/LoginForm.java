package dev.parley.accounts;

/** What the sign-in form keeps between a failed attempt and the form shown again. */
public final class LoginForm {

    /** Session attribute: the e-mail of the last failed attempt, read once by the login page. */
    public static final String LAST_EMAIL = LoginForm.class.getName() + ".email";

    private LoginForm() {
    }
}
