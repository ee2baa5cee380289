package dev.parley.accounts;

import dev.parley.common.FormErrors;
import dev.parley.common.TimeZones;
import dev.parley.common.UserFacingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A user's own account: display name, time zone and password. */
@Controller
@RequestMapping("/profile")
class ProfileController {

    private final AccountService accounts;
    private final SignedInSessions sessions;

    ProfileController(AccountService accounts, SignedInSessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    @ModelAttribute("timeZones")
    List<String> timeZones() {
        return TimeZones.OFFERED;
    }

    @GetMapping
    String profile(@AuthenticationPrincipal ParleyUser user, Model model) {
        UserAccount account = accounts.get(user.id());
        ProfileForm form = new ProfileForm();
        form.setDisplayName(account.getDisplayName());
        form.setTimeZone(account.getTimeZone());
        model.addAttribute("profileForm", form);
        model.addAttribute("account", account);
        return "accounts/profile";
    }

    @PostMapping
    String update(@AuthenticationPrincipal ParleyUser user, @Valid @ModelAttribute("profileForm") ProfileForm form,
                  BindingResult binding, Model model, RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                accounts.updateProfile(user.id(), form.getDisplayName(), form.getTimeZone());
                redirect.addFlashAttribute("flash", "profile.flash.saved");
                return "redirect:/profile";
            } catch (UserFacingException e) {
                FormErrors.reject(binding, e);
            }
        }
        model.addAttribute("account", accounts.get(user.id()));
        return "accounts/profile";
    }

    @GetMapping("/password")
    String passwordForm(Model model) {
        model.addAttribute("passwordChangeForm", new PasswordChangeForm());
        return "accounts/password";
    }

    @PostMapping("/password")
    String changePassword(@AuthenticationPrincipal ParleyUser user,
                          @Valid @ModelAttribute("passwordChangeForm") PasswordChangeForm form, BindingResult binding,
                          Locale locale, HttpServletRequest request, HttpServletResponse response,
                          RedirectAttributes redirect) {
        if (!binding.hasFieldErrors("newPassword") && !binding.hasFieldErrors("confirmPassword")
                && !form.getNewPassword().equals(form.getConfirmPassword())) {
            binding.rejectValue("confirmPassword", "password.mismatch");
        }
        if (binding.hasErrors()) {
            FormErrors.check(binding, () -> accounts.checkPasswordChange(user.id(), form.getCurrentPassword(),
                    form.getNewPassword(), locale));
            return "accounts/password";
        }
        UserAccount account;
        try {
            account = accounts.changePassword(user.id(), form.getCurrentPassword(), form.getNewPassword(), locale);
        } catch (UserFacingException e) {
            FormErrors.reject(binding, e);
            return "accounts/password";
        }
        // The change signed out every other session of this account; this one carries on with the new epoch.
        sessions.refresh(account, request, response);
        redirect.addFlashAttribute("flash", "password.flash.changed");
        return "redirect:/profile";
    }
}
