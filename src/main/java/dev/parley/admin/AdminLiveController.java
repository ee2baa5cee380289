package dev.parley.admin;

import dev.parley.meeting.LiveStatistics;
import dev.parley.rooms.RoomService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The live view: rooms with people in them, each participant's connection, bitrates and drop counters. */
@Controller
class AdminLiveController {

    private final LiveStatistics statistics;
    private final RoomService rooms;

    AdminLiveController(LiveStatistics statistics, RoomService rooms) {
        this.statistics = statistics;
        this.rooms = rooms;
    }

    @GetMapping("/admin/live")
    String live(Model model) {
        var live = statistics.rooms();
        model.addAttribute("liveRooms", live);
        model.addAttribute("roomsById", rooms.byIds(live.stream().map(LiveStatistics.RoomView::roomId).toList()));
        model.addAttribute("relay", statistics.relayView());
        return "admin/live";
    }
}
