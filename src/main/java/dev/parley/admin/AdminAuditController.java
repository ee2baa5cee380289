package dev.parley.admin;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEvent;
import dev.parley.common.PageRequests;
import dev.parley.web.ViewerTime;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log: who did what, when and from where, newest first, in words; filterable by action, by who did it, by
 * actor or target text and by a range of days in the viewer's time zone. A filter that does not make sense (a date
 * that is none, a range that ends before it starts) is shown with its message and no entries.
 */
@Controller
class AdminAuditController {

    static final int PAGE_SIZE = 50;

    private final AuditSearch search;
    private final AuditWording wording;
    private final ViewerTime viewerTime;

    AdminAuditController(AuditSearch search, AuditWording wording, ViewerTime viewerTime) {
        this.search = search;
        this.wording = wording;
        this.viewerTime = viewerTime;
    }

    @GetMapping("/admin/audit")
    String audit(@ModelAttribute("auditFilter") AuditFilter filter, BindingResult binding,
                 @RequestParam(defaultValue = "0") int page, Model model) {
        filter.check(binding);
        PageRequest request = PageRequests.of(page, PAGE_SIZE,
                Sort.by(Sort.Direction.DESC, "occurredAt").and(Sort.by(Sort.Direction.DESC, "id")));
        Page<AuditEvent> events = binding.hasErrors() ? Page.empty(request)
                : search.find(filter.query(viewerTime.zone()), request);
        model.addAttribute("entries", events.map(wording::describe));
        model.addAttribute("actions", AuditAction.values());
        model.addAttribute("pagerUrl", filter.link());
        return "admin/audit";
    }
}
