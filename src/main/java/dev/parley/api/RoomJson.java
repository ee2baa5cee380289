package dev.parley.api;

import dev.parley.rooms.RoomState;
import dev.parley.rooms.RoomView;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A room as the API shows it. {@code start} is the wall-clock start in {@code timeZone}, as it is sent;
 * {@code startsAt}, {@code nextStart} and {@code nextEnd} are instants (UTC).
 */
public record RoomJson(long id, String slug, String title, String description, LocalDateTime start, String timeZone,
                       Instant startsAt, int durationMinutes, int weeklyOccurrences, RoomState state,
                       Instant nextStart, Instant nextEnd, boolean passcodeSet, boolean lobbyEnabled,
                       boolean guestsAllowed, boolean chatKept, int maxParticipants, long hostId, String joinUrl,
                       Instant cancelledAt) {

    static RoomJson of(RoomView view) {
        var room = view.room();
        return new RoomJson(room.getId(), room.getSlug(), room.getTitle(), room.getDescription(),
                LocalDateTime.ofInstant(room.getStartsAt(), ZoneId.of(room.getTimeZone())), room.getTimeZone(),
                room.getStartsAt(), room.getDurationMinutes(), room.getWeeklyOccurrences(), view.state(),
                view.nextStart(), view.nextEnd(), room.hasPasscode(), room.isLobbyEnabled(), room.isGuestsAllowed(),
                room.isChatKept(), room.getMaxParticipants(), room.getHost().getId(), view.joinUrl(),
                room.getCancelledAt());
    }
}
