package dev.parley.meeting;

import java.time.Instant;

/**
 * A participant (a browser or a WHIP stream, {@code kind}) came into a room's meeting: published by {@link LiveRooms}
 * after the others were told. A participant that resumes its place after a reconnection does not join again.
 */
public record ParticipantJoinedMeeting(long roomId, String slug, String participantId, String displayName,
                                       String kind, boolean host, Instant at) {
}
