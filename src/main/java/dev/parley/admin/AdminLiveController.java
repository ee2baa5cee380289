package dev.parley.admin;

import dev.parley.meeting.LiveStatistics;
import dev.parley.meeting.MediaReachability;
import dev.parley.rooms.RoomService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The live view: the media address and what the start-up check found about it, rooms with people in them, each
 * participant's connection, bitrates and drop counters.
 */
@Controller
class AdminLiveController {

    private final LiveStatistics statistics;
    private final RoomService rooms;
    private final MediaReachability reachability;

    AdminLiveController(LiveStatistics statistics, RoomService rooms, MediaReachability reachability) {
        this.statistics = statistics;
        this.rooms = rooms;
        this.reachability = reachability;
    }

    @GetMapping("/admin/live")
    String live(Model model) {
        var live = statistics.rooms();
        model.addAttribute("liveRooms", live);
        model.addAttribute("roomsById", rooms.byIds(live.stream().map(LiveStatistics.RoomView::roomId).toList()));
        model.addAttribute("relay", statistics.relayView());
        model.addAttribute("reachability", reachability.report());
        return "admin/live";
    }
}
