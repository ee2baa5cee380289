package dev.parley.web;

import dev.parley.accounts.ParleyUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal ParleyUser user) {
        if (user != null && user.role().canHost()) {
            return "redirect:/rooms";
        }
        return "home";
    }

    /** The language switcher: the locale interceptor has already stored ?lang=..., so go back where the user was. */
    @GetMapping("/lang")
    RedirectView language(@RequestParam(name = "return", defaultValue = "/") String returnTo) {
        RedirectView back = new RedirectView(SafeRedirects.localPath(returnTo), true);
        back.setExpandUriTemplateVariables(false);
        return back;
    }
}
