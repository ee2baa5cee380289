package dev.parley.rooms;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface RoomRepository extends JpaRepository<Room, Long> {

    @EntityGraph(attributePaths = "host")
    Optional<Room> findBySlug(String slug);

    @EntityGraph(attributePaths = "host")
    Optional<Room> findWithHostById(long id);

    @EntityGraph(attributePaths = "host")
    List<Room> findByHostIdOrderByStartsAtDesc(long hostId);

    long countByHostId(long hostId);

    @EntityGraph(attributePaths = "host")
    List<Room> findByHostIdAndStartsAtAfter(long hostId, Instant after);

    @EntityGraph(attributePaths = "host")
    @Query("""
            select r from Room r join r.host h
            where :pattern is null
               or lower(r.title) like :pattern escape '\\'
               or lower(h.email) like :pattern escape '\\'
               or lower(h.displayName) like :pattern escape '\\'
            """)
    Page<Room> search(@Param("pattern") String likePattern, Pageable pageable);

    List<Room> findByHostId(long hostId);
}
