package dev.parley.rooms;

import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Decides a room's state at a moment from its schedule, cancellation and early opening by its host. */
@Component
public class RoomClock {

    private final Clock clock;
    private final RoomProperties properties;

    public RoomClock(Clock clock, RoomProperties properties) {
        this.clock = clock;
        this.properties = properties;
    }

    public Instant now() {
        return clock.instant();
    }

    public RoomState stateOf(Room room) {
        return stateAt(room, clock.instant());
    }

    public RoomState stateAt(Room room, Instant now) {
        if (room.isCancelled()) {
            return RoomState.CANCELLED;
        }
        RoomSchedule schedule = room.schedule();
        if (schedule.occurrenceAt(now, properties.joinEarly(), properties.joinLateGrace()).isPresent()
                || openedByHost(room, now)) {
            return RoomState.OPEN;
        }
        return schedule.nextOrCurrent(now).isPresent() ? RoomState.UPCOMING : RoomState.ENDED;
    }

    /** A host who opens a room early (or again after it ended) opens it for one meeting's length plus the grace. */
    private boolean openedByHost(Room room, Instant now) {
        Instant opened = room.getOpenedAt();
        if (opened == null || opened.isAfter(now)) {
            return false;
        }
        return now.isBefore(opened.plus(room.schedule().duration()).plus(properties.joinLateGrace()));
    }
}
