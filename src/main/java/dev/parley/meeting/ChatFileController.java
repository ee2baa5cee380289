package dev.parley.meeting;

import dev.parley.chat.FileDownloads;
import dev.parley.chat.FileRefusedException;
import dev.parley.chat.SharedFile;
import dev.parley.chat.SharedFiles;
import dev.parley.chat.Upload;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Files shared in a meeting's chat, over HTTP beside the signalling socket (docs/signaling.md, "chat files"). Both
 * ways need a participant who is in the room's meeting now, named by id and proven by the file key its welcome gave
 * it; a file sent privately only reaches its two ends. The body of an upload is the file itself (no multipart, which
 * Parley leaves unparsed), streamed to disk within the size limit.
 */
@RestController
class ChatFileController {

    static final String PARTICIPANT_HEADER = "X-Parley-Participant";
    static final String KEY_HEADER = "X-Parley-File-Key";
    private static final int MAX_ID = 64;

    private final RoomService rooms;
    private final LiveRooms liveRooms;
    private final MeetingChat chat;
    private final SharedFiles files;

    ChatFileController(RoomService rooms, LiveRooms liveRooms, MeetingChat chat, SharedFiles files) {
        this.rooms = rooms;
        this.liveRooms = liveRooms;
        this.chat = chat;
        this.files = files;
    }

    @PostMapping("/r/{slug}/files")
    ResponseEntity<Map<String, Object>> upload(@PathVariable String slug,
                                               @RequestParam(defaultValue = "") String name,
                                               @RequestParam(required = false) String to,
                                               @RequestHeader(name = PARTICIPANT_HEADER, required = false) String id,
                                               @RequestHeader(name = KEY_HEADER, required = false) String key,
                                               HttpServletRequest request) throws IOException {
        Room room = rooms.bySlug(slug).orElse(null);
        LiveRoom live = room == null ? null : liveRooms.find(room.getId()).orElse(null);
        Participant sender = participant(live, id, key);
        if (sender == null) {
            return JsonErrors.of(HttpStatus.FORBIDDEN, "forbidden",
                    "Only people in this meeting share files in its chat.");
        }
        Participant recipient;
        try {
            recipient = chat.checkShare(live, sender, to == null || to.isEmpty() ? null : to);
        } catch (Refusal refusal) {
            HttpStatus status = refusal.code().equals("rate-limited") ? HttpStatus.TOO_MANY_REQUESTS
                    : HttpStatus.BAD_REQUEST;
            return JsonErrors.of(status, refusal.code(), refusal.getMessage());
        }
        Upload upload = new Upload(sender.displayName(), sender.id(), recipient == null ? null : recipient.id(),
                recipient == null && live.isChatKept());
        SharedFile file;
        try {
            file = files.store(room.getId(), name, request.getContentLengthLong(), request.getInputStream(), upload);
        } catch (FileRefusedException refused) {
            return JsonErrors.of(statusOf(refused.reason()),
                    "file-" + refused.reason().name().toLowerCase().replace('_', '-'), refused.getMessage());
        }
        if (!chat.shared(live, sender, recipient, file)) {
            files.discard(file);
            return JsonErrors.of(HttpStatus.FORBIDDEN, "forbidden",
                    "You are no longer in this meeting, so the file was not shared.");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", file.getId(), "name", file.getName(),
                "size", file.getSize(), "type", file.getContentType()));
    }

    @GetMapping("/r/{slug}/files/{fileId}")
    ResponseEntity<?> download(@PathVariable String slug, @PathVariable String fileId,
                               @RequestHeader(name = PARTICIPANT_HEADER, required = false) String id,
                               @RequestHeader(name = KEY_HEADER, required = false) String key) {
        Room room = rooms.bySlug(slug).orElse(null);
        LiveRoom live = room == null ? null : liveRooms.find(room.getId()).orElse(null);
        Participant reader = participant(live, id, key);
        if (reader == null) {
            return JsonErrors.of(HttpStatus.FORBIDDEN, "forbidden", "Only people in this meeting download its files.");
        }
        SharedFile file = files.find(fileId).filter(f -> f.getRoomId() == room.getId() && f.isFor(reader.id()))
                .orElse(null);
        if (file == null) {
            return JsonErrors.of(HttpStatus.NOT_FOUND, "not-found", "That file is not (or no longer) shared here.");
        }
        return FileDownloads.of(file, files.path(file));
    }

    /** The participant the headers name, if it is in this meeting now and the key is its own; else null. */
    private static Participant participant(LiveRoom live, String id, String key) {
        if (live == null || id == null || id.length() > MAX_ID || key == null) {
            return null;
        }
        Participant participant = live.participant(id);
        return participant != null && participant.kind() == Participant.Kind.BROWSER
                && participant.holdsFileKey(key) ? participant : null;
    }

    private static HttpStatus statusOf(FileRefusedException.Reason reason) {
        return switch (reason) {
            case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case MISMATCH, DANGEROUS -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case DISK_FULL -> HttpStatus.INSUFFICIENT_STORAGE;
            case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
            case EMPTY, BAD_NAME -> HttpStatus.BAD_REQUEST;
        };
    }
}
