package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** /api/v1/meetings: the meetings under way, who is in them, ending one, removing someone. */
@RestController
@RequestMapping(ApiAccess.BASE + "/meetings")
@Tag(name = "Meetings", description = "Meetings under way now, by the id of their room.")
class ApiMeetingsController implements ApiController {

    private final ApiMeetings meetings;

    ApiMeetingsController(ApiMeetings meetings) {
        this.meetings = meetings;
    }

    @GetMapping
    @Operation(summary = "List meetings under way", description = "In the caller's rooms (every room for admins).")
    List<MeetingJson> list(@AuthenticationPrincipal ParleyUser user) {
        return meetings.list(user);
    }

    @GetMapping("/{roomId}")
    @Operation(summary = "Get a meeting and its participants", description = "404 when nobody is in the room.")
    MeetingJson get(@AuthenticationPrincipal ParleyUser user, @PathVariable long roomId) {
        return meetings.get(user, roomId);
    }

    @PostMapping("/{roomId}/end")
    @Operation(summary = "End a meeting", description = "Everyone in it and in its lobby is sent out, told who "
            + "ended it. The room stays open: people may join again.")
    @ApiResponse(responseCode = "204", description = "Ended")
    ResponseEntity<Void> end(@AuthenticationPrincipal ParleyUser user, @PathVariable long roomId,
                             HttpServletRequest request) {
        meetings.end(user, roomId, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{roomId}/participants/{participantId}")
    @Operation(summary = "Remove a participant", description = "They are told who removed them, and may join again.")
    @ApiResponse(responseCode = "204", description = "Removed")
    ResponseEntity<Void> remove(@AuthenticationPrincipal ParleyUser user, @PathVariable long roomId,
                                @PathVariable String participantId, HttpServletRequest request) {
        meetings.remove(user, roomId, participantId, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
