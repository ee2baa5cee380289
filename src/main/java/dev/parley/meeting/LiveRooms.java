package dev.parley.meeting;

import dev.parley.rooms.LiveMeetings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Every room that has someone in it (or in its lobby) right now. */
@Component
public class LiveRooms implements LiveMeetings {

    private final Map<Long, LiveRoom> rooms = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ApplicationEventPublisher events;

    @Autowired
    public LiveRooms(Clock clock, ApplicationEventPublisher events) {
        this.clock = clock;
        this.events = events;
    }

    /** On the system clock, telling nobody when meetings end, for tests that build the meeting by hand. */
    public LiveRooms() {
        this(Clock.systemUTC(), event -> { });
    }

    public LiveRoom open(long roomId, String slug) {
        return rooms.computeIfAbsent(roomId, id -> new LiveRoom(id, slug, clock.millis()));
    }

    public Optional<LiveRoom> find(long roomId) {
        return Optional.ofNullable(rooms.get(roomId));
    }

    /** Forgets the room once the last person left: its meeting ended ({@link MeetingEnded}). */
    public void releaseIfEmpty(LiveRoom room) {
        boolean[] ended = {false};
        rooms.computeIfPresent(room.roomId(), (id, existing) -> {
            if (existing == room && existing.isEmpty()) {
                ended[0] = true;
                return null;
            }
            return existing;
        });
        if (ended[0]) {
            events.publishEvent(new MeetingEnded(room.roomId(), clock.instant()));
        }
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
