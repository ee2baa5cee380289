package dev.parley.admin;

import dev.parley.common.PageRequests;
import dev.parley.rooms.JoinLinks;
import dev.parley.rooms.RoomClock;
import dev.parley.rooms.RoomService;
import dev.parley.rooms.RoomView;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Every room on the server, with its host, schedule and state. */
@Controller
class AdminRoomsController {

    private final RoomService rooms;
    private final RoomClock roomClock;
    private final JoinLinks joinLinks;
    private final dev.parley.meeting.LiveRooms liveRooms;

    AdminRoomsController(RoomService rooms, RoomClock roomClock, JoinLinks joinLinks,
                         dev.parley.meeting.LiveRooms liveRooms) {
        this.rooms = rooms;
        this.roomClock = roomClock;
        this.joinLinks = joinLinks;
        this.liveRooms = liveRooms;
    }

    @GetMapping("/admin/rooms")
    String rooms(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page, Model model) {
        var result = rooms.search(q.length() > 100 ? q.substring(0, 100) : q,
                PageRequests.of(page, AdminUsersController.PAGE_SIZE, Sort.by(Sort.Direction.DESC, "startsAt")));
        model.addAttribute("rooms", result.map(room -> RoomView.of(room, roomClock, joinLinks)));
        model.addAttribute("q", q);
        model.addAttribute("liveRooms", liveRooms);
        return "admin/rooms";
    }
}
