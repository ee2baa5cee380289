package dev.parley.recording;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The recording rows' changes, each in its own transaction (the live side calls them from its own threads). */
@Component
class RecordingRows {

    private final RecordingRepository recordings;
    private final RecordingTrackRepository tracks;

    RecordingRows(RecordingRepository recordings, RecordingTrackRepository tracks) {
        this.recordings = recordings;
        this.tracks = tracks;
    }

    @Transactional
    Recording create(String id, long roomId, String startedBy, Instant at) {
        return recordings.save(new Recording(id, roomId, startedBy, at));
    }

    @Transactional
    RecordingTrack addTrack(RecordingTrack track) {
        return tracks.save(track);
    }

    @Transactional
    void trackFinished(String trackId, RecordingTrack.State result, long endedMillis, long sizeBytes) {
        tracks.findById(trackId).ifPresent(t -> t.finished(result, endedMillis, sizeBytes));
    }

    @Transactional
    void ended(String recordingId, Instant at, String reason, boolean interrupted) {
        recordings.findById(recordingId).ifPresent(r -> {
            r.ended(at, reason);
            if (interrupted) {
                r.markInterrupted();
            }
        });
    }

    @Transactional
    void progress(String recordingId, int percent) {
        recordings.findById(recordingId).ifPresent(r -> r.progress(percent));
    }

    @Transactional
    void composed(String recordingId, long bytes) {
        recordings.findById(recordingId).ifPresent(r -> r.composed(bytes));
    }

    @Transactional
    void failed(String recordingId, String why) {
        recordings.findById(recordingId).ifPresent(r -> r.failed(why));
    }

    @Transactional(readOnly = true)
    Optional<Recording> find(String recordingId) {
        return recordings.findById(recordingId);
    }

    @Transactional(readOnly = true)
    List<RecordingTrack> tracks(String recordingId) {
        return tracks.findByRecordingIdOrderByStartedMillis(recordingId);
    }

    @Transactional(readOnly = true)
    List<Recording> inState(Recording.State state) {
        return recordings.findByState(state);
    }

    @Transactional(readOnly = true)
    List<Recording> forRoom(long roomId) {
        return recordings.findByRoomIdOrderByStartedAtDesc(roomId);
    }

    @Transactional(readOnly = true)
    long countForRoom(long roomId) {
        return recordings.countByRoomId(roomId);
    }

    @Transactional(readOnly = true)
    Page<Recording> newestFirst(Pageable page) {
        return recordings.findAllByOrderByStartedAtDesc(page);
    }

    @Transactional(readOnly = true)
    List<Recording> endedBefore(Instant before) {
        return recordings.findByEndedAtBefore(before);
    }

    @Transactional(readOnly = true)
    Set<String> allIds() {
        return new HashSet<>(recordings.findAllIds());
    }

    @Transactional(readOnly = true)
    Optional<RecordingTrack> track(String trackId) {
        return tracks.findById(trackId);
    }

    /** Deletes the row and its tracks' rows (on delete cascade); the files are the caller's to delete. */
    @Transactional
    void delete(String recordingId) {
        recordings.findById(recordingId).ifPresent(recordings::delete);
    }
}
