package dev.parley.web;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccountRepository;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/** After login: continue where the user was going, unless an admin reset their password and a new one is due. */
@Component
class LoginSuccessHandler extends SavedRequestAwareAuthenticationSuccessHandler {

    private final UserAccountRepository users;

    LoginSuccessHandler(UserAccountRepository users) {
        this.users = users;
        setDefaultTargetUrl("/");
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws ServletException, IOException {
        if (authentication.getPrincipal() instanceof ParleyUser user
                && users.findById(user.id()).map(a -> a.isPasswordChangeRequired()).orElse(false)) {
            PasswordChangeGate.require(request.getSession());
        }
        super.onAuthenticationSuccess(request, response, authentication);
    }
}
