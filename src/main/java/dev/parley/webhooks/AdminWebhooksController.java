package dev.parley.webhooks;

import dev.parley.common.FormErrors;
import dev.parley.common.UserFacingException;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin → Webhooks: the list and a form for a new one; each webhook's page with its settings, its secret's rotation,
 * deletion and its delivery log. A secret is shown once, on the page after it was made (a flash attribute). Admins
 * only, as everything under /admin (web.SecurityConfiguration).
 */
@Controller
class AdminWebhooksController {

    private final Webhooks webhooks;

    AdminWebhooksController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @ModelAttribute("eventTypes")
    List<WebhookEventType> eventTypes() {
        return WebhookEventType.offered();
    }

    @GetMapping("/admin/webhooks")
    String list(Model model) {
        model.addAttribute("webhookForm", new WebhookForm());
        model.addAttribute("webhooks", webhooks.all());
        return "webhooks/list";
    }

    @PostMapping("/admin/webhooks")
    String create(@Valid @ModelAttribute("webhookForm") WebhookForm form, BindingResult binding, Model model,
                  RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                Webhooks.WithSecret made = webhooks.create(form);
                redirect.addFlashAttribute("webhookSecret", made.secret());
                redirect.addFlashAttribute("flash", "webhook.flash.created");
                return "redirect:/admin/webhooks/" + made.id();
            } catch (UserFacingException e) {
                FormErrors.reject(binding, e);
            }
        } else {
            FormErrors.check(binding, () -> Webhooks.checkedUrl(form.getUrl()));
        }
        model.addAttribute("webhooks", webhooks.all());
        return "webhooks/list";
    }

    @GetMapping("/admin/webhooks/{id}")
    String show(@PathVariable long id, Model model) {
        Webhooks.View webhook = webhooks.find(id);
        WebhookForm form = new WebhookForm();
        form.setUrl(webhook.url());
        form.setEvents(webhook.events().stream().map(WebhookEventType::wireName).toList());
        form.setEnabled(webhook.enabled());
        model.addAttribute("webhookForm", form);
        return page(id, model);
    }

    @PostMapping("/admin/webhooks/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("webhookForm") WebhookForm form,
                  BindingResult binding, Model model, RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                webhooks.update(id, form);
                redirect.addFlashAttribute("flash", "webhook.flash.updated");
                return "redirect:/admin/webhooks/" + id;
            } catch (UserFacingException e) {
                FormErrors.reject(binding, e);
            }
        } else {
            FormErrors.check(binding, () -> Webhooks.checkedUrl(form.getUrl()));
        }
        return page(id, model);
    }

    @PostMapping("/admin/webhooks/{id}/secret")
    String rotate(@PathVariable long id, RedirectAttributes redirect) {
        Webhooks.WithSecret rotated = webhooks.rotateSecret(id);
        redirect.addFlashAttribute("webhookSecret", rotated.secret());
        redirect.addFlashAttribute("flash", "webhook.flash.rotated");
        return "redirect:/admin/webhooks/" + id;
    }

    @PostMapping("/admin/webhooks/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        webhooks.delete(id);
        redirect.addFlashAttribute("flash", "webhook.flash.deleted");
        return "redirect:/admin/webhooks";
    }

    private String page(long id, Model model) {
        model.addAttribute("webhook", webhooks.find(id));
        model.addAttribute("deliveryLog", webhooks.log(id));
        return "webhooks/show";
    }
}
