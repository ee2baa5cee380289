package dev.parley.api;

import dev.parley.meeting.LiveStatistics;
import java.util.List;

/**
 * A meeting under way in a room: who is in it (participants; the lobby is not listed) and the bits per second flowing
 * in and out, sampled every two seconds.
 */
public record MeetingJson(long roomId, String slug, String title, int participantCount,
                          List<ParticipantJson> participants, long bitsPerSecondIn, long bitsPerSecondOut) {

    /** Someone in a meeting: a browser or a WHIP stream. */
    public record ParticipantJson(String id, String displayName, String kind, boolean host, boolean audio,
                                  boolean video, boolean connected) {

        static ParticipantJson of(LiveStatistics.ParticipantView view) {
            return new ParticipantJson(view.participantId(), view.displayName(), view.kind(), view.host(),
                    view.audio(), view.video(), view.connected());
        }
    }

    static MeetingJson of(LiveStatistics.RoomView view, String title) {
        return new MeetingJson(view.roomId(), view.slug(), title, view.participants().size(),
                view.participants().stream().map(ParticipantJson::of).toList(), view.bitsPerSecondIn(),
                view.bitsPerSecondOut());
    }
}
