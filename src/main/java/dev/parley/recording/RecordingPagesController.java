package dev.parley.recording;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.UserFacingException;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A room's recordings for its host (and admins): the list, each one's status for the page's progress bar, the
 * downloads, and deleting. Someone else gets 403, a recording that is not there 404, as for the rooms' kept chat
 * files.
 */
@Controller
class RecordingPagesController {

    private final Recordings recordings;
    private final RoomService rooms;
    private final MessageSource messages;

    RecordingPagesController(Recordings recordings, RoomService rooms, MessageSource messages) {
        this.recordings = recordings;
        this.rooms = rooms;
        this.messages = messages;
    }

    @GetMapping("/rooms/{id}/recordings")
    String room(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, Model model) {
        Room room = rooms.manageable(user, id);
        model.addAttribute("room", room);
        model.addAttribute("recordings", recordings.forRoom(user, id));
        return "recordings/room";
    }

    /** What the page's progress bar polls while a recording is recorded or composed. */
    @GetMapping("/recordings/{id}/status")
    ResponseEntity<Map<String, Object>> status(@AuthenticationPrincipal ParleyUser user, @PathVariable String id,
                                               Locale locale) {
        RecordingView view = recordings.find(user, id);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", view.id());
        status.put("state", view.state().name());
        status.put("stateText", messages.getMessage("recording.state." + view.state(), null, locale));
        status.put("progress", view.recording().getComposeProgress());
        status.put("duration", view.durationText());
        status.put("composedSize", view.composedSizeText());
        status.put("trackSize", view.trackSizeText());
        status.put("error", view.recording().getError());
        status.put("errorText", view.state() != Recording.State.FAILED ? null : view.recording().getError() == null
                ? messages.getMessage("recording.failed", null, locale)
                : messages.getMessage("recording.failedBecause", new Object[] {view.recording().getError()}, locale));
        status.put("composedUrl", view.composedAvailable() ? "/recordings/" + view.id() + "/composed.mp4" : null);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(status);
    }

    @GetMapping("/recordings/{id}/composed.mp4")
    ResponseEntity<Resource> composed(@AuthenticationPrincipal ParleyUser user, @PathVariable String id) {
        return recordings.composed(user, id).map(RecordingDownload::response)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).build());
    }

    @GetMapping("/recordings/{id}/tracks/{trackId}")
    ResponseEntity<Resource> track(@AuthenticationPrincipal ParleyUser user, @PathVariable String id,
                                   @PathVariable String trackId) {
        return recordings.track(user, id, trackId).map(RecordingDownload::response)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).build());
    }

    /** Deletes a recording; back to the admins' list when asked from there, else to the room's recordings. */
    @PostMapping("/recordings/{id}/delete")
    String delete(@AuthenticationPrincipal ParleyUser user, @PathVariable String id,
                  @RequestParam(defaultValue = "") String from, RedirectAttributes redirect) {
        RecordingView view = recordings.find(user, id);
        String back = from.equals("admin") && user.isAdmin() ? "redirect:/admin/recordings"
                : "redirect:/rooms/" + view.recording().getRoomId() + "/recordings";
        try {
            recordings.delete(user, id);
            redirect.addFlashAttribute("flash", "recording.flash.deleted");
        } catch (UserFacingException e) {
            redirect.addFlashAttribute("error", e.messageKey());
        }
        return back;
    }
}
