package dev.parley.recording;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface RecordingTrackRepository extends JpaRepository<RecordingTrack, String> {

    List<RecordingTrack> findByRecordingIdOrderByStartedMillis(String recordingId);
}
