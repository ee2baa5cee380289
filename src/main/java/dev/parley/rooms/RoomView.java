package dev.parley.rooms;

import java.time.Instant;

/** What pages show of a room: its fields plus the state and next start worked out at render time. */
public record RoomView(Room room, RoomState state, Instant nextStart, Instant nextEnd, String joinUrl) {

    public static RoomView of(Room room, RoomClock clock, JoinLinks links) {
        Instant now = clock.now();
        RoomSchedule.Occurrence next = room.schedule().nextOrCurrent(now).orElse(room.schedule().last());
        return new RoomView(room, clock.stateAt(room, now), next.start(), next.end(), links.of(room));
    }

    public boolean recurring() {
        return room.getWeeklyOccurrences() > 1;
    }
}
