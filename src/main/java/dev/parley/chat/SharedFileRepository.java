package dev.parley.chat;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface SharedFileRepository extends JpaRepository<SharedFile, String> {

    List<SharedFile> findByRoomIdOrderByUploadedAt(long roomId);

    /** Files kept with a room's chat whose retention ended. */
    @Query("select f from SharedFile f where f.kept = true and f.uploadedAt < :before")
    List<SharedFile> keptBefore(Instant before);

    /** A meeting's own files, uploaded up to a moment. */
    @Query("select f from SharedFile f where f.roomId = :roomId and f.kept = false and f.uploadedAt <= :until")
    List<SharedFile> unkeptUntil(long roomId, Instant until);

    @Query("select f from SharedFile f where f.roomId = :roomId and f.kept = true")
    List<SharedFile> keptOf(long roomId);

    @Query("select f from SharedFile f where f.kept = false")
    List<SharedFile> unkept();
}
