package dev.parley.recording;

import dev.parley.accounts.ParleyUser;
import jakarta.validation.Valid;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admin → Recordings: every recording, the disk they take against the quota, and the retention and quota. */
@Controller
class AdminRecordingsController {

    private final Recordings recordings;
    private final RecordingSettingsService settings;
    private final RecordingRetention retention;

    AdminRecordingsController(Recordings recordings, RecordingSettingsService settings, RecordingRetention retention) {
        this.recordings = recordings;
        this.settings = settings;
        this.retention = retention;
    }

    @GetMapping("/admin/recordings")
    String list(@AuthenticationPrincipal ParleyUser user, @RequestParam(defaultValue = "0") int page, Model model) {
        RecordingSettingsForm form = new RecordingSettingsForm();
        form.setRetentionDays(settings.retentionDays());
        form.setQuotaMegabytes(settings.quotaMegabytes());
        model.addAttribute("recordingSettingsForm", form);
        return page(user, page, model);
    }

    @PostMapping("/admin/recordings/settings")
    String save(@AuthenticationPrincipal ParleyUser user,
                @Valid @ModelAttribute("recordingSettingsForm") RecordingSettingsForm form, BindingResult binding,
                Model model, RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            return page(user, 0, model);
        }
        settings.change(form.getRetentionDays(), form.getQuotaMegabytes());
        retention.purge();
        redirect.addFlashAttribute("flash", "admin.recordings.saved");
        return "redirect:/admin/recordings";
    }

    private String page(ParleyUser user, int page, Model model) {
        model.addAttribute("recordings", recordings.all(user, page));
        long used = recordings.usedBytes();
        long quota = settings.quotaBytes();
        model.addAttribute("usedText", RecordingView.sizeText(used));
        model.addAttribute("quotaText", RecordingView.sizeText(quota));
        model.addAttribute("usedPercent", quota <= 0 ? 100 : (int) Math.min(100, used * 100 / quota));
        return "admin/recordings";
    }
}
