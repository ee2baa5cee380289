package dev.parley.accounts;

import dev.parley.accounts.sso.SignInOptions;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class LoginController {

    private final PasswordResets passwordResets;
    private final SignInOptions signInOptions;

    LoginController(PasswordResets passwordResets, SignInOptions signInOptions) {
        this.passwordResets = passwordResets;
        this.signInOptions = signInOptions;
    }

    @GetMapping("/login")
    String login(Authentication authentication, HttpSession session, Model model) {
        if (authentication != null && !(authentication instanceof AnonymousAuthenticationToken)
                && authentication.isAuthenticated()) {
            return "redirect:/";
        }
        if (session != null) {
            Object email = session.getAttribute(LoginForm.LAST_EMAIL);
            session.removeAttribute(LoginForm.LAST_EMAIL);
            model.addAttribute("email", email instanceof String typed ? typed : "");
        }
        model.addAttribute("passwordResetOffered", passwordResets.offered());
        model.addAttribute("signInOptions", signInOptions);
        return "accounts/login";
    }
}
