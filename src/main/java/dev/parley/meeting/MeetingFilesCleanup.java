package dev.parley.meeting;

import dev.parley.chat.SharedFiles;
import dev.parley.rooms.LiveMeetings;
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
    private final LiveMeetings meetings;

    MeetingFilesCleanup(SharedFiles files, LiveMeetings meetings) {
        this.files = files;
        this.meetings = meetings;
    }

    /**
     * At start, the files of meetings that did not end cleanly (a crash) go; not those of a meeting under way, which
     * another node carries (their rows are in the same database: a node's start took every live meeting's files).
     */
    @EventListener(ApplicationReadyEvent.class)
    public void dropUnfinishedMeetingsFiles() {
        int gone = files.deleteAllUnkept(roomId -> meetings.participantCount(roomId) == 0);
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
