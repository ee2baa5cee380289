package dev.parley.accounts;

import dev.parley.common.FormErrors;
import dev.parley.common.UserFacingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Forgot password?" and the page its e-mailed link opens. Without an SMTP server every route here is 404
 * ({@link PasswordResets#offered()}).
 */
@Controller
class PasswordResetController {

    private static final String REQUEST_PAGE = "accounts/forgot-password";
    private static final String RESET_PAGE = "accounts/reset-password";

    private final PasswordResets resets;

    PasswordResetController(PasswordResets resets) {
        this.resets = resets;
    }

    @ModelAttribute("validityMinutes")
    long validityMinutes() {
        return resets.validityMinutes();
    }

    @GetMapping("/forgot-password")
    String requestForm(Model model) {
        resets.requireOffered();
        model.addAttribute("forgotPasswordForm", new ForgotPasswordForm());
        return REQUEST_PAGE;
    }

    @PostMapping("/forgot-password")
    String request(@Valid @ModelAttribute("forgotPasswordForm") ForgotPasswordForm form, BindingResult binding,
                   Locale locale, HttpServletRequest request, HttpServletResponse response,
                   RedirectAttributes redirect) {
        resets.requireOffered();
        if (binding.hasErrors()) {
            return REQUEST_PAGE;
        }
        if (resets.request(form.getEmail(), request.getRemoteAddr(), locale) == PasswordResets.Answer.TOO_MANY) {
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            binding.reject("passwordReset.request.tooMany");
            return REQUEST_PAGE;
        }
        redirect.addFlashAttribute("sent", true);
        return "redirect:/forgot-password";
    }

    @GetMapping("/reset-password")
    String resetForm(@RequestParam(required = false) String token, Model model, HttpServletResponse response) {
        if (!resets.isUsable(token)) {
            return invalidLink(model, response);
        }
        PasswordResetForm form = new PasswordResetForm();
        form.setToken(token);
        model.addAttribute("passwordResetForm", form);
        return RESET_PAGE;
    }

    @PostMapping("/reset-password")
    String reset(@Valid @ModelAttribute("passwordResetForm") PasswordResetForm form, BindingResult binding,
                 Locale locale, Model model, HttpServletRequest request, HttpServletResponse response) {
        if (!resets.isUsable(form.getToken())) {
            return invalidLink(model, response);
        }
        if (!binding.hasFieldErrors("newPassword") && !binding.hasFieldErrors("confirmPassword")
                && !form.getNewPassword().equals(form.getConfirmPassword())) {
            binding.rejectValue("confirmPassword", "password.mismatch");
        }
        if (binding.hasErrors()) {
            FormErrors.check(binding, () -> resets.checkNewPassword(form.getToken(), form.getNewPassword(), locale));
            return RESET_PAGE;
        }
        try {
            if (!resets.reset(form.getToken(), form.getNewPassword(), locale, request.getRemoteAddr())) {
                return invalidLink(model, response);
            }
        } catch (UserFacingException e) {
            FormErrors.reject(binding, e);
            return RESET_PAGE;
        }
        return "redirect:/login?reset";
    }

    /** Used, expired, unknown or cut short: one clear page, with the way to a new link. */
    private static String invalidLink(Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.GONE.value());
        model.addAttribute("invalidLink", true);
        return RESET_PAGE;
    }
}
