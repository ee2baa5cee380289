package dev.parley.meeting;

import dev.parley.chat.SharedFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A meeting's own files (not kept with the room's chat) last as long as the meeting. */
@Component
public class MeetingFilesCleanup {

    private static final Logger log = LoggerFactory.getLogger(MeetingFilesCleanup.class);

    private final SharedFiles files;
    private final LiveRooms local;
    private final RemoteMeetings remote;

    MeetingFilesCleanup(SharedFiles files, LiveRooms local, RemoteMeetings remote) {
        this.files = files;
        this.local = local;
        this.remote = remote;
    }

    /**
     * At start, the files of meetings that did not end cleanly (a crash) go, not those of a meeting under way. On
     * several nodes nothing goes: the rows are in the database every node shares, and which meetings run elsewhere is
     * only as sure as Redis and the last heartbeats (a node's start once took the files of every meeting under way).
     * A crashed meeting's files then go when its room's next meeting ends.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void dropUnfinishedMeetingsFiles() {
        if (remote.clustered()) {
            return;
        }
        int gone = files.deleteAllUnkept(roomId -> local.find(roomId).isEmpty());
        if (gone > 0) {
            log.info("{} files of meetings that did not end cleanly removed", gone);
        }
    }

    @EventListener
    void onMeetingEnded(MeetingEnded ended) {
        try {
            int gone = files.deleteUnkept(ended.roomId(), ended.at());
            if (gone > 0) {
                log.info("Meeting in room {} ended: its {} shared files removed", ended.roomId(), gone);
            }
        } catch (RuntimeException e) {
            // the last one out must still get out; the hourly sweep and the next start remove them
            log.warn("Could not remove the shared files of room {}'s meeting: {}", ended.roomId(), e.toString());
        }
    }
}
