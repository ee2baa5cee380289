package dev.parley.admin;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.PageRequests;
import java.util.Arrays;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log: who did what, when and from where, newest first, filterable by action and text. */
@Controller
class AdminAuditController {

    private final AuditLog audit;

    AdminAuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/admin/audit")
    String audit(@RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String q,
                 @RequestParam(defaultValue = "0") int page, Model model) {
        String knownAction = Arrays.stream(AuditAction.values()).map(Enum::name).filter(action::equals).findFirst().orElse("");
        model.addAttribute("events", audit.search(knownAction, q.length() > 100 ? q.substring(0, 100) : q,
                PageRequests.of(page, 50, Sort.by(Sort.Direction.DESC, "occurredAt").and(Sort.by(Sort.Direction.DESC, "id")))));
        model.addAttribute("actions", AuditAction.values());
        model.addAttribute("action", knownAction);
        model.addAttribute("q", q);
        return "admin/audit";
    }
}
