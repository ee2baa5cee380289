package dev.parley.rooms;

import java.util.List;

/**
 * What the rooms pages need to know of the meetings under way, without depending on the meeting feature (which
 * depends on rooms): who is in a room's meeting right now.
 */
public interface LiveMeetings {

    /** People in the room's meeting now; 0 when none is under way. */
    int participantCount(long roomId);

    /** The people in the room's meeting now, by name, with what a WHEP player names to play each; empty when none. */
    List<Person> people(long roomId);

    /**
     * Someone in a meeting: the name others see, and the WHEP {@code participant} that plays them (the name, or the
     * participant id when someone else has the same name).
     */
    record Person(String displayName, String whepParticipant) {
    }
}
