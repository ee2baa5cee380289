package dev.parley.rooms;

/**
 * What the rooms pages need to know of the meetings under way, without depending on the meeting feature (which
 * depends on rooms): how many people are in a room's meeting right now.
 */
public interface LiveMeetings {

    /** People in the room's meeting now; 0 when none is under way. */
    int participantCount(long roomId);
}
