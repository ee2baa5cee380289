package dev.parley.rooms;

import java.time.Instant;

/**
 * A room was scheduled, changed, reopened, cancelled or deleted: published by {@link RoomService} inside the change's
 * transaction, with what the room looked like then (a deleted room cannot be read afterwards). Listeners that act on
 * it outside (webhooks) wait for the commit. No passcode, stream token or host e-mail: only what may leave Parley.
 */
public record RoomChangedEvent(Change change, long roomId, String slug, String title, Instant startsAt,
                               int durationMinutes, int weeklyOccurrences, String timeZone, Instant at) {

    public enum Change { CREATED, UPDATED, REOPENED, CANCELLED, DELETED }

    static RoomChangedEvent of(Change change, Room room, Instant at) {
        return new RoomChangedEvent(change, room.getId(), room.getSlug(), room.getTitle(), room.getStartsAt(),
                room.getDurationMinutes(), room.getWeeklyOccurrences(), room.getTimeZone(), at);
    }
}
