package dev.parley.admin;

import dev.parley.chat.ChatRetention;
import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings an admin changes at run time: for now, how long rooms' kept chat and files last. */
@Controller
class AdminSettingsController {

    private final ChatRetention retention;

    AdminSettingsController(ChatRetention retention) {
        this.retention = retention;
    }

    @GetMapping("/admin/settings")
    String show(Model model) {
        SettingsForm form = new SettingsForm();
        form.setChatRetentionDays(retention.days());
        model.addAttribute("settingsForm", form);
        return "admin/settings";
    }

    @PostMapping("/admin/settings")
    String save(@Valid @ModelAttribute("settingsForm") SettingsForm form, BindingResult binding,
                RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            return "admin/settings";
        }
        retention.setDays(form.getChatRetentionDays());
        redirect.addFlashAttribute("flash", "admin.settings.saved");
        return "redirect:/admin/settings";
    }
}
