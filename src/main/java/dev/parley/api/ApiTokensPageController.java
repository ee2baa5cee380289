package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.FormErrors;
import dev.parley.common.UserFacingException;
import jakarta.validation.Valid;
import java.util.EnumSet;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages of API tokens: a host's or admin's own (Profile → API tokens: make one, see its secret once, revoke),
 * and every token for admins (Admin → API tokens).
 */
@Controller
class ApiTokensPageController {

    private final ApiTokens tokens;
    private final ApiRateLimits limits;

    ApiTokensPageController(ApiTokens tokens, ApiRateLimits limits) {
        this.tokens = tokens;
        this.limits = limits;
    }

    @GetMapping("/profile/api-tokens")
    String own(@AuthenticationPrincipal ParleyUser user, Model model) {
        model.addAttribute("newTokenForm", new NewTokenForm());
        return ownPage(user, model);
    }

    @PostMapping("/profile/api-tokens")
    String create(@AuthenticationPrincipal ParleyUser user, @Valid @ModelAttribute("newTokenForm") NewTokenForm form,
                  BindingResult binding, Model model, RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                ApiTokens.NewToken made = tokens.create(user, form.getName(),
                        form.getScopes().isEmpty() ? EnumSet.noneOf(ApiScope.class) : EnumSet.copyOf(form.getScopes()),
                        form.getExpiresInDays());
                redirect.addFlashAttribute("newTokenSecret", made.secret());
                redirect.addFlashAttribute("flash", "apiToken.flash.created");
                return "redirect:/profile/api-tokens";
            } catch (UserFacingException e) {
                FormErrors.reject(binding, e);
            }
        }
        return ownPage(user, model);
    }

    @PostMapping("/profile/api-tokens/{id}/revoke")
    String revokeOwn(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, RedirectAttributes redirect) {
        revoke(user, id, redirect);
        return "redirect:/profile/api-tokens";
    }

    @GetMapping("/admin/api-tokens")
    String all(Model model) {
        model.addAttribute("tokens", tokens.all());
        return "api/admin-tokens";
    }

    @PostMapping("/admin/api-tokens/{id}/revoke")
    String revokeAny(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id, RedirectAttributes redirect) {
        revoke(admin, id, redirect);
        return "redirect:/admin/api-tokens";
    }

    private void revoke(ParleyUser user, long id, RedirectAttributes redirect) {
        boolean revoked = tokens.revoke(user, id);
        redirect.addFlashAttribute(revoked ? "flash" : "error", revoked ? "apiToken.flash.revoked" : "apiToken.gone");
    }

    private String ownPage(ParleyUser user, Model model) {
        model.addAttribute("tokens", tokens.ownedBy(user));
        model.addAttribute("grantable", ApiTokens.grantableBy(user));
        model.addAttribute("requestsPerMinute", limits.perMinute());
        return "api/tokens";
    }
}
