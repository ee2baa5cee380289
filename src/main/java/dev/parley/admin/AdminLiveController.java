package dev.parley.admin;

import dev.parley.meeting.LiveStatistics;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomRepository;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The live view: rooms with people in them, each participant's connection, bitrates and drop counters. */
@Controller
class AdminLiveController {

    private final LiveStatistics statistics;
    private final RoomRepository rooms;

    AdminLiveController(LiveStatistics statistics, RoomRepository rooms) {
        this.statistics = statistics;
        this.rooms = rooms;
    }

    @GetMapping("/admin/live")
    String live(Model model) {
        var live = statistics.rooms();
        Map<Long, Room> byId = new HashMap<>();
        rooms.findAllById(live.stream().map(LiveStatistics.RoomView::roomId).toList()).forEach(r -> byId.put(r.getId(), r));
        model.addAttribute("liveRooms", live);
        model.addAttribute("roomsById", byId);
        model.addAttribute("relay", statistics.relayView());
        return "admin/live";
    }
}
