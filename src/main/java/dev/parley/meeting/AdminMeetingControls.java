package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.meeting.ClientMessage.Moderate.Action;
import org.springframework.stereotype.Service;

/**
 * What an admin does to a meeting from the live view, without being in it: end it for everyone, or remove one
 * participant. The REST API uses it too, for admins and for the hosts of the room (the API checks that). The people concerned are told as by a host's control (docs/signaling.md, section 8), naming the admin
 * and saying it was one (their page words it so); each is audited with the admin as the actor.
 */
@Service
public class AdminMeetingControls {

    private final LiveRooms liveRooms;
    private final MeetingService meetings;
    private final AuditedNames names;
    private final AuditLog audit;

    AdminMeetingControls(LiveRooms liveRooms, MeetingService meetings, AuditedNames names, AuditLog audit) {
        this.liveRooms = liveRooms;
        this.meetings = meetings;
        this.names = names;
        this.audit = audit;
    }

    /** Ends the room's meeting for everyone in it and in its lobby; false when nobody is in it (any more). */
    public boolean end(long roomId, ParleyUser admin, String address) {
        LiveRoom live = liveRooms.find(roomId).orElse(null);
        if (live == null) {
            return false;
        }
        audit.recordBy(admin.id(), admin.email(), address, AuditAction.MEETING_ENDED, "room " + live.slug(),
                "room " + live.slug() + "; " + live.size() + " present");
        meetings.endMeeting(live, notice(Action.END, admin));
        return true;
    }

    /** Removes one participant (who may join again); false when they are not in that room's meeting (any more). */
    public boolean remove(long roomId, String participantId, ParleyUser admin, String address) {
        LiveRoom live = liveRooms.find(roomId).orElse(null);
        Participant target = live == null || participantId == null ? null : live.participant(participantId);
        if (target == null) {
            return false;
        }
        meetings.leave(live, target, "removed");
        meetings.sendAway(target, notice(Action.REMOVE, admin), ByeReason.REMOVED);
        audit.recordBy(admin.id(), admin.email(), address, AuditAction.MEETING_PARTICIPANT_REMOVED, names.of(target),
                "room " + live.slug());
        return true;
    }

    /** A room's host acting through the REST API (api.ApiMeetings) is named as a host, an admin as an admin. */
    private static ServerMessage.Moderated notice(Action action, ParleyUser admin) {
        return admin.isAdmin() ? ServerMessage.Moderated.byAdmin(action, admin.displayName())
                : new ServerMessage.Moderated(action, new ServerMessage.ChatSender("", admin.displayName()), false,
                        false);
    }
}
