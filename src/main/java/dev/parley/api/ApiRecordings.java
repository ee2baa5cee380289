package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.UserFacingException;
import dev.parley.recording.RecordingDownload;
import dev.parley.recording.Recordings;
import dev.parley.rooms.JoinLinks;
import org.springframework.stereotype.Service;

/**
 * The API's recordings: {@link Recordings} and its rule (the room's host while they may host, or an admin), as JSON
 * with absolute download links.
 */
@Service
class ApiRecordings {

    private final Recordings recordings;
    private final JoinLinks links;

    ApiRecordings(Recordings recordings, JoinLinks links) {
        this.recordings = recordings;
        this.links = links;
    }

    PageJson<RecordingJson> list(ParleyUser user, long roomId, int page, int size) {
        String base = links.base();
        return PageJson.of(recordings.forRoom(user, roomId), page, size, view -> RecordingJson.of(view, base));
    }

    RecordingJson get(ParleyUser user, String recordingId) {
        return RecordingJson.of(recordings.find(user, recordingId), links.base());
    }

    /** The composed MP4; 409 while it is not ready (or failed). */
    RecordingDownload download(ParleyUser user, String recordingId) {
        return recordings.composed(user, recordingId)
                .orElseThrow(() -> new UserFacingException("recording.notReady"));
    }
}
