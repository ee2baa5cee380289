package dev.parley.meeting;

import java.time.Instant;

/**
 * A participant left a room's meeting, for a reason as signalling's participant-left names it (left, disconnected,
 * removed): published by {@link LiveRooms}.
 */
public record ParticipantLeftMeeting(long roomId, String slug, String participantId, String displayName,
                                     String reason, Instant at) {
}
