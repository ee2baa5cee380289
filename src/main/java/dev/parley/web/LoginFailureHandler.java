package dev.parley.web;

import dev.parley.accounts.LoginForm;
import dev.parley.accounts.PasswordHashingBusy;
import dev.parley.accounts.sso.ExternalSignInRefused;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.stereotype.Component;

/**
 * Sends a failed login back to the form with a reason the page can explain, keeping the e-mail typed (in the session,
 * not the URL, where it would reach logs and history).
 */
@Component
class LoginFailureHandler implements AuthenticationFailureHandler {

    private static final int MAX_EMAIL = 254;

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        String reason;
        if (exception instanceof LockedException) {
            reason = "locked";
        } else if (exception instanceof DisabledException) {
            reason = "disabled";
        } else if (exception instanceof ExternalSignInRefused refused) {
            reason = refused.reason();
        } else if (exception.getCause() instanceof PasswordHashingBusy) {
            reason = "busy";
        } else if (exception instanceof AuthenticationServiceException) {
            // The LDAP directory (or the database) could not be asked: not the person's mistake.
            reason = "unavailable";
        } else {
            reason = "bad";
        }
        String email = request.getParameter("email");
        if (email != null && email.length() <= MAX_EMAIL) {
            request.getSession().setAttribute(LoginForm.LAST_EMAIL, email.strip());
        }
        response.sendRedirect(request.getContextPath() + "/login?error=" + reason);
    }
}
