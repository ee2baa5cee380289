package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.PasswordHashingBusy;
import dev.parley.common.NotFoundException;
import dev.parley.rooms.JoinLinks;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomClock;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomService;
import dev.parley.rooms.RoomView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** /r/{slug}: everything between a room link and the meeting, with the room's rules enforced in order. */
@Controller
class MeetingController {

    private final RoomService rooms;
    private final RoomEntry entry;
    private final RoomClock roomClock;
    private final JoinLinks joinLinks;
    private final PasscodeAttempts passcodeAttempts;
    private final LiveRooms liveRooms;
    private final MeetingRecording recording;

    MeetingController(RoomService rooms, RoomEntry entry, RoomClock roomClock, JoinLinks joinLinks,
                      PasscodeAttempts passcodeAttempts, LiveRooms liveRooms, MeetingRecording recording) {
        this.rooms = rooms;
        this.entry = entry;
        this.roomClock = roomClock;
        this.joinLinks = joinLinks;
        this.passcodeAttempts = passcodeAttempts;
        this.liveRooms = liveRooms;
        this.recording = recording;
    }

    @GetMapping("/r/{slug}")
    String room(@PathVariable String slug, @AuthenticationPrincipal ParleyUser viewer, HttpSession session,
                Model model, HttpServletResponse response) {
        Room room = rooms.bySlug(slug).orElseThrow(() -> new NotFoundException("room"));
        model.addAttribute("room", RoomView.of(room, roomClock, joinLinks));
        model.addAttribute("canManage", RoomPolicy.canManage(viewer, room));
        switch (entry.decide(room, viewer, UnlockedRooms.contains(session, room))) {
            case CANCELLED -> {
                response.setStatus(HttpServletResponse.SC_GONE);
                return "meeting/cancelled";
            }
            case NOT_STARTED -> {
                return "meeting/not-started";
            }
            case ENDED -> {
                return "meeting/ended";
            }
            case LOGIN_REQUIRED -> throw new AccessDeniedException("This room is for signed-in users");
            case PASSCODE_REQUIRED -> {
                return "meeting/passcode";
            }
            case ALLOWED -> {
                model.addAttribute("displayName", viewer == null ? "" : viewer.displayName());
                model.addAttribute("recordingOffered", recording.isOffered());
                model.addAttribute("recordingNow", liveRooms.find(room.getId())
                        .map(live -> live.recording() != null).orElse(false));
                return "meeting/prejoin";
            }
        }
        throw new IllegalStateException("unreachable");
    }

    @PostMapping("/r/{slug}/passcode")
    String passcode(@PathVariable String slug, @RequestParam(defaultValue = "") String passcode, HttpSession session,
                    HttpServletRequest request, RedirectAttributes redirect) {
        Room room = rooms.bySlug(slug).orElseThrow(() -> new NotFoundException("room"));
        String address = request.getRemoteAddr();
        if (passcode.isBlank()) {
            redirect.addFlashAttribute("passcodeError", "meeting.passcode.required");
        } else {
            switch (passcodeAttempts.inTurn(room, address,
                    () -> checkPasscode(room, passcode, address, session, redirect))) {
                case TOO_MANY -> redirect.addFlashAttribute("passcodeError", "meeting.passcode.tooMany");
                case BUSY -> redirect.addFlashAttribute("passcodeError", "meeting.passcode.busy");
                case TAKEN -> {
                }
            }
        }
        return "redirect:/r/" + slug;
    }

    private void checkPasscode(Room room, String passcode, String address, HttpSession session,
                               RedirectAttributes redirect) {
        boolean matches;
        try {
            matches = rooms.passcodeMatches(room, passcode);
        } catch (PasswordHashingBusy e) {
            redirect.addFlashAttribute("passcodeError", "meeting.passcode.busy");
            return;
        }
        if (matches) {
            UnlockedRooms.add(session, room);
            passcodeAttempts.succeeded(room, address);
        } else {
            passcodeAttempts.failed(room, address);
            redirect.addFlashAttribute("passcodeError", "meeting.passcode.wrong");
        }
    }

    @PostMapping("/r/{slug}/open")
    String open(@PathVariable String slug, @AuthenticationPrincipal ParleyUser viewer) {
        Room room = rooms.bySlug(slug).orElseThrow(() -> new NotFoundException("room"));
        rooms.open(viewer, room.getId());
        return "redirect:/r/" + slug;
    }
}
