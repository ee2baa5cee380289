package dev.parley.meeting;

import java.time.Instant;

/** The last person left a room's meeting (or it was ended): published by {@link LiveRooms}. */
public record MeetingEnded(long roomId, Instant at) {
}
