package dev.parley.admin;

import dev.parley.accounts.ParleyUser;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.cluster.Node;
import dev.parley.cluster.NodeRegistry;
import dev.parley.meeting.AdminMeetingControls;
import dev.parley.meeting.LiveStatistics;
import dev.parley.meeting.MediaReachability;
import dev.parley.rooms.RoomService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The live view: the media address and what the start-up check found about it, rooms with people in them, each
 * participant's connection, bitrates and drop counters, kept current by the page; and an admin's actions on a live
 * meeting (end it, remove someone).
 */
@Controller
class AdminLiveController {

    /** The live page posts a participant id of 18 characters; anything much longer is no id. */
    static final int MAX_PARTICIPANT_ID = 200;
    /** A node id is its host name, port and 8 characters. */
    static final int MAX_NODE_ID = 300;

    private final LiveStatistics statistics;
    private final RoomService rooms;
    private final MediaReachability reachability;
    private final AdminMeetingControls controls;
    private final NodeRegistry nodes;
    private final AuditLog audit;

    AdminLiveController(LiveStatistics statistics, RoomService rooms, MediaReachability reachability,
                        AdminMeetingControls controls, NodeRegistry nodes, AuditLog audit) {
        this.audit = audit;
        this.statistics = statistics;
        this.rooms = rooms;
        this.reachability = reachability;
        this.controls = controls;
        this.nodes = nodes;
    }

    @GetMapping("/admin/live")
    String live(Model model) {
        fill(model);
        return "admin/live";
    }

    /** The page's changing part alone, which the page fetches every few seconds to stay current. */
    @GetMapping("/admin/live/content")
    String content(Model model) {
        fill(model);
        return "admin/live :: content";
    }

    @PostMapping("/admin/live/rooms/{id}/end")
    String end(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id, HttpServletRequest request,
               RedirectAttributes redirect) {
        boolean ended = controls.end(id, admin, request.getRemoteAddr());
        redirect.addFlashAttribute(ended ? "flash" : "error", ended ? "admin.live.ended" : "admin.live.gone");
        return "redirect:/admin/live";
    }

    @PostMapping("/admin/live/rooms/{id}/remove")
    String remove(@AuthenticationPrincipal ParleyUser admin, @PathVariable long id,
                  @RequestParam(required = false) String participantId, HttpServletRequest request,
                  RedirectAttributes redirect) {
        if (participantId != null && participantId.length() > MAX_PARTICIPANT_ID) {
            redirect.addFlashAttribute("error", "admin.live.notAParticipantId");
            return "redirect:/admin/live";
        }
        boolean removed = controls.remove(id, participantId, admin, request.getRemoteAddr());
        redirect.addFlashAttribute(removed ? "flash" : "error", removed ? "admin.live.removed" : "admin.live.gone");
        return "redirect:/admin/live";
    }

    /**
     * Drains a node: it takes no new meetings and moves its running ones to the others
     * (dev.parley.meeting.MeetingDrain).
     */
    @PostMapping("/admin/live/nodes/drain")
    String drain(@AuthenticationPrincipal ParleyUser admin, @RequestParam String nodeId, HttpServletRequest request,
                 RedirectAttributes redirect) {
        Optional<Node> drained = nodeId.length() > MAX_NODE_ID ? Optional.empty() : nodes.requestDrain(nodeId);
        if (drained.isEmpty()) {
            redirect.addFlashAttribute("error", "admin.live.nodeGone");
            return "redirect:/admin/live";
        }
        audit.recordBy(admin.id(), admin.email(), request.getRemoteAddr(), AuditAction.NODE_DRAINED,
                drained.get().url(), null);
        redirect.addFlashAttribute("flash", "admin.live.drained");
        return "redirect:/admin/live";
    }

    private void fill(Model model) {
        var live = statistics.rooms();
        model.addAttribute("liveRooms", live);
        model.addAttribute("roomsById", rooms.byIds(live.stream().map(LiveStatistics.RoomView::roomId).toList()));
        model.addAttribute("relay", statistics.relayView());
        model.addAttribute("reachability", reachability.report());
        List<Node> all = nodes.isClustered() ? nodes.nodes() : List.of();
        model.addAttribute("nodes", all);
        // Meetings other nodes carry, by the rooms' titles: their people are listed on their own node's page.
        List<Node> others = all.stream().filter(n -> !n.self() && !n.peopleByRoom().isEmpty()).toList();
        model.addAttribute("otherNodes", others);
        model.addAttribute("otherRooms", rooms.byIds(others.stream()
                .flatMap(n -> n.peopleByRoom().keySet().stream()).toList()));
    }
}
