package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import dev.parley.rooms.RoomForm;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** /api/v1/rooms: list, read, schedule, change and cancel rooms, by the rules of the rooms pages. */
@RestController
@RequestMapping(ApiAccess.BASE + "/rooms")
@Tag(name = "Rooms", description = "Scheduled rooms: hosts see their own, admins all.")
class ApiRoomsController implements ApiController {

    private final ApiRooms rooms;

    ApiRoomsController(ApiRooms rooms) {
        this.rooms = rooms;
    }

    @GetMapping
    @Operation(summary = "List rooms", description = "The caller's rooms (all rooms for admins), latest start first.")
    PageJson<RoomJson> list(@AuthenticationPrincipal ParleyUser user,
                            @RequestParam(defaultValue = "0") @Min(0) int page,
                            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return rooms.list(user, page, size);
    }

    @PostMapping
    @Operation(summary = "Schedule a room", description = "The same fields and rules as the Schedule page; "
            + "start is wall-clock time in timeZone (e.g. 2030-05-04T10:00).")
    @ApiResponse(responseCode = "201", description = "Scheduled; Location names the room", useReturnTypeSchema = true)
    ResponseEntity<RoomJson> create(@AuthenticationPrincipal ParleyUser user, @Valid @RequestBody RoomForm form) {
        RoomJson created = rooms.create(user, form);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUri()).body(created);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a room")
    RoomJson get(@AuthenticationPrincipal ParleyUser user, @PathVariable long id) {
        return rooms.get(user, id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a room", description = "Replaces the room's settings with the body's (fields left "
            + "out take their defaults); an empty passcode keeps the room's passcode, removePasscode removes it.")
    RoomJson update(@AuthenticationPrincipal ParleyUser user, @PathVariable long id,
                    @Valid @RequestBody RoomForm form) {
        return rooms.update(user, id, form);
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a room", description = "Ends its meeting if one is under way; nobody may join.")
    RoomJson cancel(@AuthenticationPrincipal ParleyUser user, @PathVariable long id) {
        return rooms.cancel(user, id);
    }
}
