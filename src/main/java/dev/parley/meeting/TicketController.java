package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.VisibleText;
import dev.parley.rooms.LiveMeetings;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomService;
import jakarta.servlet.http.HttpSession;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The pre-join page trades what this browser session established for a signed join ticket (see docs/signaling.md). */
@RestController
class TicketController {

    static final int MAX_NAME = 60;

    private final RoomService rooms;
    private final RoomEntry entry;
    private final JoinTickets tickets;
    private final LiveMeetings meetings;
    private final MeetingBans bans;

    TicketController(RoomService rooms, RoomEntry entry, JoinTickets tickets, LiveMeetings meetings, MeetingBans bans) {
        this.rooms = rooms;
        this.entry = entry;
        this.tickets = tickets;
        this.meetings = meetings;
        this.bans = bans;
    }

    @PostMapping("/r/{slug}/ticket")
    ResponseEntity<Map<String, Object>> ticket(@PathVariable String slug,
                                               @RequestParam(defaultValue = "") String displayName,
                                               @AuthenticationPrincipal ParleyUser viewer, HttpSession session) {
        Room room = rooms.bySlug(slug).orElse(null);
        if (room == null) {
            return JsonErrors.of(HttpStatus.NOT_FOUND, "not-found", "There is no such room.");
        }
        String name = displayName.strip();
        if (name.isEmpty() || name.length() > MAX_NAME || !VisibleText.Validator.accepts(name, false)) {
            return JsonErrors.of(HttpStatus.BAD_REQUEST, "display-name", "Enter a name of 1 to " + MAX_NAME
                    + " visible characters, without control or text-direction characters.");
        }
        boolean passcodeGiven = UnlockedRooms.contains(session, room);
        RoomEntry.Decision decision = entry.decide(room, viewer, passcodeGiven);
        if (decision != RoomEntry.Decision.ALLOWED) {
            return JsonErrors.of(HttpStatus.FORBIDDEN, "forbidden", "This room does not let you in right now ("
                    + decision.name().toLowerCase().replace('_', ' ') + ").");
        }
        String visitor = MeetingBans.visitorKey(session);
        // Hosts may always come back (as the join lets them): a ban of a guest on this browser is not theirs.
        if (!RoomPolicy.canManage(viewer, room)
                && bans.isBanned(room.getId(), viewer == null ? null : viewer.id(), visitor)) {
            return JsonErrors.of(HttpStatus.FORBIDDEN, "banned", "The host removed you from this meeting and did not "
                    + "let you back in.");
        }
        if (meetings.participantCount(room.getId()) >= room.getMaxParticipants()) {
            return JsonErrors.of(HttpStatus.CONFLICT, "room-full", "The room is full.");
        }
        String ticket = tickets.issue(room.getId(), room.getSlug(), viewer == null ? null : viewer.id(), name,
                passcodeGiven, visitor);
        return ResponseEntity.ok(Map.of("ticket", ticket, "expiresInSeconds", JoinTickets.LIFETIME.toSeconds(),
                "signalingUrl", "/ws/signal"));
    }
}
