package dev.parley.recording;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface RecordingRepository extends JpaRepository<Recording, String> {

    List<Recording> findByRoomIdOrderByStartedAtDesc(long roomId);

    Page<Recording> findAllByOrderByStartedAtDesc(Pageable page);

    List<Recording> findByState(Recording.State state);

    List<Recording> findByEndedAtBefore(Instant before);

    long countByRoomId(long roomId);

    @Query("select r.id from Recording r")
    List<String> findAllIds();
}
