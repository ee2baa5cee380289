package dev.parley.admin;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.Role;
import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccount;
import dev.parley.common.FormErrors;
import dev.parley.common.PageRequests;
import dev.parley.common.UserFacingException;
import dev.parley.rooms.RoomService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.Locale;
import java.util.Set;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** /admin: the user list and everything an admin does to an account. */
@Controller
@RequestMapping("/admin")
class AdminUsersController {

    static final int PAGE_SIZE = 20;
    private static final Set<String> SORTABLE = Set.of("email", "displayName", "role", "createdAt", "lastLoginAt");

    private final AccountService accounts;
    private final RoomService rooms;
    private final UserRemoval removal;
    private final SignedInSessions sessions;

    AdminUsersController(AccountService accounts, RoomService rooms, UserRemoval removal, SignedInSessions sessions) {
        this.accounts = accounts;
        this.rooms = rooms;
        this.removal = removal;
        this.sessions = sessions;
    }

    @GetMapping
    String users(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "email") String sort,
                 @RequestParam(defaultValue = "asc") String dir, @RequestParam(defaultValue = "0") int page,
                 Model model) {
        String sortBy = SORTABLE.contains(sort) ? sort : "email";
        Sort.Direction direction = "desc".equalsIgnoreCase(dir) ? Sort.Direction.DESC : Sort.Direction.ASC;
        Page<UserAccount> users = accounts.search(q.length() > 100 ? q.substring(0, 100) : q,
                PageRequests.of(page, PAGE_SIZE, Sort.by(direction, sortBy).and(Sort.by("id"))));
        model.addAttribute("users", users);
        model.addAttribute("q", q);
        model.addAttribute("sort", sortBy);
        model.addAttribute("dir", direction == Sort.Direction.DESC ? "desc" : "asc");
        return "admin/users";
    }

    @GetMapping("/users/new")
    String newUser(Model model) {
        model.addAttribute("newUserForm", new NewUserForm());
        model.addAttribute("roles", Role.values());
        return "admin/user-new";
    }

    @PostMapping("/users")
    String create(@Valid @ModelAttribute("newUserForm") NewUserForm form, BindingResult binding, Locale locale,
                  Model model, RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            FormErrors.check(binding, () -> accounts.checkNewAccount(form.getEmail(), form.getDisplayName(),
                    form.getNewPassword(), locale));
        } else {
            try {
                UserAccount created = accounts.create(form.getEmail(), form.getDisplayName(), form.getNewPassword(),
                        form.getRole(), locale);
                redirect.addFlashAttribute("flash", "admin.flash.userCreated");
                return "redirect:/admin/users/" + created.getId();
            } catch (UserFacingException e) {
                FormErrors.reject(binding, e);
            }
        }
        model.addAttribute("roles", Role.values());
        return "admin/user-new";
    }

    @GetMapping("/users/{id}")
    String user(@PathVariable long id, Model model) {
        UserAccount user = accounts.get(id);
        model.addAttribute("editUserForm", EditUserForm.of(user));
        return userPage(user, model);
    }

    @PostMapping("/users/{id}")
    String edit(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id,
                @Valid @ModelAttribute("editUserForm") EditUserForm form, BindingResult binding,
                HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                boolean changed = accounts.editAccount(id, form.getEmail(), form.getDisplayName(), admin.id());
                if (changed && id == admin.id()) {
                    // A new e-mail address ended every session of the account; the admin's own one carries on.
                    sessions.refresh(accounts.get(id), request, response);
                }
                redirect.addFlashAttribute("flash", changed ? "admin.flash.userUpdated" : "admin.flash.userUnchanged");
                return "redirect:/admin/users/" + id;
            } catch (UserFacingException e) {
                FormErrors.reject(binding, e);
            }
        }
        return userPage(accounts.get(id), model);
    }

    private String userPage(UserAccount user, Model model) {
        model.addAttribute("user", user);
        model.addAttribute("roles", Role.values());
        model.addAttribute("hostedRooms", rooms.countHostedBy(user.getId()));
        return "admin/user";
    }

    @PostMapping("/users/{id}/enabled")
    String setEnabled(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id, @RequestParam boolean enabled,
                      RedirectAttributes redirect) {
        return act(redirect, id, enabled ? "admin.flash.enabled" : "admin.flash.disabled",
                () -> accounts.setEnabled(id, enabled, admin.id()));
    }

    @PostMapping("/users/{id}/role")
    String changeRole(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id, @RequestParam Role role,
                      RedirectAttributes redirect) {
        return act(redirect, id, "admin.flash.roleChanged", () -> accounts.changeRole(id, role, admin.id()));
    }

    @PostMapping("/users/{id}/unlock")
    String unlock(@PathVariable long id, RedirectAttributes redirect) {
        return act(redirect, id, "admin.flash.unlocked", () -> accounts.unlock(id));
    }

    @PostMapping("/users/{id}/reset-password")
    String resetPassword(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id,
                         RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("temporaryPassword", accounts.resetPassword(id, admin.id()));
            redirect.addFlashAttribute("flash", "admin.flash.passwordReset");
        } catch (UserFacingException e) {
            redirect.addFlashAttribute("error", e.messageKey());
        }
        return "redirect:/admin/users/" + id;
    }

    @GetMapping("/users/{id}/delete")
    String confirmDelete(@PathVariable long id, Model model) {
        model.addAttribute("user", accounts.get(id));
        model.addAttribute("hostedRooms", rooms.countHostedBy(id));
        model.addAttribute("hosts", accounts.activeHosts().stream().filter(h -> h.getId() != id).toList());
        return "admin/user-delete";
    }

    @PostMapping("/users/{id}/delete")
    String delete(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id,
                  @RequestParam(required = false) UserRemoval.RoomDisposition rooms,
                  @RequestParam(required = false) Long transferTo, RedirectAttributes redirect) {
        try {
            removal.remove(id, rooms, transferTo, admin.id());
        } catch (UserFacingException e) {
            redirect.addFlashAttribute("error", e.messageKey());
            return "redirect:/admin/users/" + id + "/delete";
        }
        redirect.addFlashAttribute("flash", "admin.flash.userDeleted");
        return "redirect:/admin";
    }

    private static String act(RedirectAttributes redirect, long id, String successKey, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("flash", successKey);
        } catch (UserFacingException e) {
            redirect.addFlashAttribute("error", e.messageKey());
        }
        return "redirect:/admin/users/" + id;
    }
}
