package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A room's recordings, one recording, and its composed video, by the rules of the recordings pages. */
@RestController
@Tag(name = "Recordings", description = "Recordings of a room's meetings: its host and admins only.")
class ApiRecordingsController implements ApiController {

    private final ApiRecordings recordings;

    ApiRecordingsController(ApiRecordings recordings) {
        this.recordings = recordings;
    }

    @GetMapping(ApiAccess.BASE + "/rooms/{id}/recordings")
    @Operation(summary = "List a room's recordings", description = "Newest first, those being recorded or "
            + "composed too.")
    PageJson<RecordingJson> list(@AuthenticationPrincipal ParleyUser user, @PathVariable long id,
                                 @RequestParam(defaultValue = "0") @Min(0) int page,
                                 @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return recordings.list(user, id, page, size);
    }

    @GetMapping(ApiAccess.BASE + "/recordings/{recordingId}")
    @Operation(summary = "Get a recording", description = "Its state (RECORDING, COMPOSING, READY or FAILED), the "
            + "composition's progress, duration, sizes, and downloadUrl once READY.")
    RecordingJson get(@AuthenticationPrincipal ParleyUser user, @PathVariable String recordingId) {
        return recordings.get(user, recordingId);
    }

    @GetMapping(ApiAccess.BASE + "/recordings/{recordingId}/download")
    @Operation(summary = "Download a recording's video", description = "The composed MP4, as an attachment; a "
            + "Range header gets 206 with those bytes. 409 while the recording is not READY.")
    @ApiResponse(responseCode = "200", description = "The video",
            content = @Content(mediaType = "video/mp4", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "206", description = "The bytes of the Range asked for",
            content = @Content(mediaType = "video/mp4", schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<Resource> download(@AuthenticationPrincipal ParleyUser user, @PathVariable String recordingId) {
        return recordings.download(user, recordingId).response();
    }
}
