package dev.parley.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The chat rooms keep after their meetings, when their hosts chose so: messages to everyone (private ones are never
 * kept), each as it is sent, so a crash loses none; read back for those who join a later meeting of the room and for
 * the host on the room's page; gone after the retention ({@link ChatRetention}).
 */
@Service
public class ChatArchive {

    private final ChatEntryRepository entries;
    private final SharedFiles files;
    private final Clock clock;

    ChatArchive(ChatEntryRepository entries, SharedFiles files, Clock clock) {
        this.entries = entries;
        this.files = files;
        this.clock = clock;
    }

    @Transactional
    public ChatEntry keep(long roomId, String senderName, String text, String fileId, Instant sentAt) {
        return entries.save(new ChatEntry(roomId, senderName, text, fileId, sentAt));
    }

    /** The last {@code limit} messages sent before a moment (an earlier meeting's), oldest first. */
    @Transactional(readOnly = true)
    public List<ChatEntry> before(long roomId, Instant moment, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<ChatEntry> newestFirst = new ArrayList<>(entries.newestBefore(roomId, moment, PageRequest.of(0, limit)));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The room's last {@code limit} kept messages, oldest first. */
    public List<ChatEntry> newest(long roomId, int limit) {
        return before(roomId, clock.instant().plusSeconds(1), limit);
    }

    @Transactional(readOnly = true)
    public long count(long roomId) {
        return entries.countByRoomId(roomId);
    }

    /**
     * Forgets a room's kept chat and its kept files (its host cleared it). A meeting under way keeps the files only
     * its own chat knows (private ones), which go when it ends.
     */
    @Transactional
    public long clear(long roomId) {
        long removed = entries.deleteForRoom(roomId);
        files.deleteKeptForRoom(roomId);
        return removed;
    }
}
