package dev.parley.meeting;

import dev.parley.rooms.LiveMeetings;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
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

    /**
     * The room's live room, made when the first person arrives (in the room or its lobby): that starts its meeting
     * ({@link MeetingStarted}).
     */
    public LiveRoom open(long roomId, String slug) {
        boolean[] started = {false};
        LiveRoom live = rooms.computeIfAbsent(roomId, id -> {
            started[0] = true;
            return new LiveRoom(id, slug, clock.millis());
        });
        if (started[0]) {
            events.publishEvent(new MeetingStarted(roomId, slug, clock.instant()));
        }
        return live;
    }

    /** Tells whoever listens (webhooks) that a participant came into the room: {@link ParticipantJoinedMeeting}. */
    void joined(LiveRoom live, Participant participant) {
        events.publishEvent(new ParticipantJoinedMeeting(live.roomId(), live.slug(), participant.id(),
                participant.displayName(), participant.kind().name(), participant.isHost(), clock.instant()));
    }

    /** Tells whoever listens (webhooks) that a participant left the room: {@link ParticipantLeftMeeting}. */
    void left(LiveRoom live, Participant participant, String reason) {
        events.publishEvent(new ParticipantLeftMeeting(live.roomId(), live.slug(), participant.id(),
                participant.displayName(), reason, clock.instant()));
    }

    public Optional<LiveRoom> find(long roomId) {
        return Optional.ofNullable(rooms.get(roomId));
    }

    /** Forgets the room once the last person left: its meeting ended ({@link MeetingEnded}). */
    public void releaseIfEmpty(LiveRoom room) {
        boolean[] ended = {false};
        rooms.computeIfPresent(room.roomId(), (id, existing) -> {
            if (existing == room && existing.releaseIfEmpty()) {
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

    @Override
    public List<Person> people(long roomId) {
        LiveRoom room = rooms.get(roomId);
        if (room == null) {
            return List.of();
        }
        List<Participant> participants = room.participants();
        Map<String, Long> sameName = participants.stream().collect(Collectors.groupingBy(
                p -> p.displayName().toLowerCase(Locale.ROOT), Collectors.counting()));
        return participants.stream()
                .sorted(Comparator.comparing(Participant::displayName, String.CASE_INSENSITIVE_ORDER))
                .map(p -> new Person(p.displayName(),
                        sameName.get(p.displayName().toLowerCase(Locale.ROOT)) > 1 ? p.id() : p.displayName()))
                .toList();
    }

    public List<LiveRoom> all() {
        return List.copyOf(rooms.values());
    }
}
