package dev.parley.meeting;

import dev.parley.chat.SharedFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A meeting's own files (not kept with the room's chat) last as long as the meeting. */
@Component
class MeetingFilesCleanup {

    private static final Logger log = LoggerFactory.getLogger(MeetingFilesCleanup.class);

    private final SharedFiles files;

    MeetingFilesCleanup(SharedFiles files) {
        this.files = files;
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
