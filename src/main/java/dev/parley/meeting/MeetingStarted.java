package dev.parley.meeting;

import java.time.Instant;

/** The first person arrived in a room's meeting (or its lobby): published by {@link LiveRooms}. */
public record MeetingStarted(long roomId, String slug, Instant at) {
}
