package dev.parley.chat;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ChatEntryRepository extends JpaRepository<ChatEntry, Long> {

    /** A room's newest messages sent before a moment, newest first. */
    @Query("select e from ChatEntry e where e.roomId = :roomId and e.sentAt < :before order by e.sentAt desc, e.id desc")
    List<ChatEntry> newestBefore(long roomId, Instant before, Pageable page);

    long countByRoomId(long roomId);

    @Modifying
    @Query("delete from ChatEntry e where e.sentAt < :before")
    int deleteSentBefore(Instant before);

    @Modifying
    @Query("delete from ChatEntry e where e.roomId = :roomId")
    int deleteForRoom(long roomId);
}
