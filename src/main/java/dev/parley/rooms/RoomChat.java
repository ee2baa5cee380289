package dev.parley.rooms;

import dev.parley.accounts.ParleyUser;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.chat.ChatArchive;
import dev.parley.chat.ChatEntry;
import dev.parley.chat.ChatRetention;
import dev.parley.chat.SharedFile;
import dev.parley.chat.SharedFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A room's kept chat as its host (or an admin) sees it after the meetings: read, download, clear. */
@Service
public class RoomChat {

    /** The most messages the room's chat page and transcript show (the newest). */
    public static final int SHOWN = 2000;

    /** A kept message with the file it carries, if that is still there. */
    public record Line(ChatEntry entry, SharedFile file) {
    }

    private final RoomService rooms;
    private final ChatArchive archive;
    private final SharedFiles files;
    private final ChatRetention retention;
    private final AuditLog audit;

    RoomChat(RoomService rooms, ChatArchive archive, SharedFiles files, ChatRetention retention, AuditLog audit) {
        this.rooms = rooms;
        this.archive = archive;
        this.files = files;
        this.retention = retention;
        this.audit = audit;
    }

    /** The room's kept chat, newest {@link #SHOWN}; {@code room} is one the caller got from RoomService#manageable. */
    @Transactional(readOnly = true)
    public List<Line> lines(Room room) {
        Map<String, SharedFile> kept = files.forRoom(room.getId()).stream().filter(SharedFile::isKept)
                .collect(Collectors.toMap(SharedFile::getId, Function.identity()));
        return archive.newest(room.getId(), SHOWN).stream()
                .map(e -> new Line(e, e.getFileId() == null ? null : kept.get(e.getFileId()))).toList();
    }

    public long count(long roomId) {
        return archive.count(roomId);
    }

    public int retentionDays() {
        return retention.days();
    }

    /** A file of the room's kept chat, for its host or an admin. */
    @Transactional(readOnly = true)
    public Optional<SharedFile> file(ParleyUser viewer, long roomId, String fileId) {
        Room room = rooms.manageable(viewer, roomId);
        return files.find(fileId).filter(f -> f.getRoomId() == room.getId() && f.isKept());
    }

    public Path path(SharedFile file) {
        return files.path(file);
    }

    /** Forgets the room's kept chat and files, audited. */
    @Transactional
    public long clear(ParleyUser actor, long roomId) {
        Room room = rooms.manageable(actor, roomId);
        long removed = archive.clear(room.getId());
        audit.record(AuditAction.ROOM_CHAT_CLEARED, "room " + room.getSlug(), removed + " messages");
        return removed;
    }
}
