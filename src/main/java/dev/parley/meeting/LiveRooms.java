package dev.parley.meeting;

import dev.parley.rooms.LiveMeetings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Every room that has someone in it (or in its lobby) right now. */
@Component
public class LiveRooms implements LiveMeetings {

    private final Map<Long, LiveRoom> rooms = new ConcurrentHashMap<>();
    private final Clock clock;

    @Autowired
    public LiveRooms(Clock clock) {
        this.clock = clock;
    }

    /** On the system clock, for tests that build the meeting by hand. */
    public LiveRooms() {
        this(Clock.systemUTC());
    }

    public LiveRoom open(long roomId, String slug) {
        return rooms.computeIfAbsent(roomId, id -> new LiveRoom(id, slug, clock.millis()));
    }

    public Optional<LiveRoom> find(long roomId) {
        return Optional.ofNullable(rooms.get(roomId));
    }

    /** Forgets the room once the last person left. */
    public void releaseIfEmpty(LiveRoom room) {
        rooms.computeIfPresent(room.roomId(), (id, existing) -> existing == room && existing.isEmpty() ? null : existing);
    }

    @Override
    public int participantCount(long roomId) {
        LiveRoom room = rooms.get(roomId);
        return room == null ? 0 : room.size();
    }

    public List<LiveRoom> all() {
        return List.copyOf(rooms.values());
    }
}
