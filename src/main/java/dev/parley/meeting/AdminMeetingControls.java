package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.meeting.ClientMessage.Moderate.Action;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What an admin does to a meeting from the live view, without being in it: end it for everyone, or remove one
 * participant. The REST API uses it too, for admins and for the hosts of the room (the API checks that). The people
 * concerned are told as by a host's control (docs/signaling.md, section 8), naming the admin and saying it was one
 * (their page words it so); each is audited with the admin as the actor. A meeting on another node is acted on by that
 * node, asked through {@link RemoteMeetings}.
 */
@Service
public class AdminMeetingControls {

    static final String END = "meeting.end";
    static final String REMOVE = "meeting.remove";

    /** Who acts, as the meeting's node needs to know them to tell the people and to audit it. */
    record Actor(long id, String email, String name, boolean admin) {
        static Actor of(ParleyUser user) {
            return new Actor(user.id(), user.email(), user.displayName(), user.isAdmin());
        }
    }

    record EndCall(long roomId, Actor actor, String address) {
    }

    record RemoveCall(long roomId, String participantId, Actor actor, String address) {
    }

    private final LiveRooms liveRooms;
    private final MeetingService meetings;
    private final AuditedNames names;
    private final AuditLog audit;
    private final RemoteMeetings remote;

    AdminMeetingControls(LiveRooms liveRooms, MeetingService meetings, AuditedNames names, AuditLog audit,
                         RemoteMeetings remote) {
        this.liveRooms = liveRooms;
        this.meetings = meetings;
        this.names = names;
        this.audit = audit;
        this.remote = remote;
        remote.answer(END, EndCall.class, call -> endHere(call.roomId(), call.actor(), call.address()));
        remote.answer(REMOVE, RemoveCall.class,
                call -> removeHere(call.roomId(), call.participantId(), call.actor(), call.address()));
    }

    /**
     * Ends the room's meeting for everyone in it and in its lobby; false when nobody is in it (any more). After a
     * drain, a meeting can be in two places (the streams that stayed on the drained node, the browsers on the node it
     * moved to): every node that has something of it ends that.
     */
    public boolean end(long roomId, ParleyUser admin, String address) {
        boolean here = endHere(roomId, Actor.of(admin), address);
        List<Boolean> there = remote.callEach(remote.nodesWith(roomId), END,
                new EndCall(roomId, Actor.of(admin), address), remote.typeOf(Boolean.class));
        return here || there.contains(true);
    }

    /** Removes one participant (who may join again); false when they are not in that room's meeting (any more). */
    public boolean remove(long roomId, String participantId, ParleyUser admin, String address) {
        if (participantId == null) {
            return false;
        }
        if (removeHere(roomId, participantId, Actor.of(admin), address)) {
            return true;
        }
        return elsewhere(roomId, REMOVE, new RemoveCall(roomId, participantId, Actor.of(admin), address));
    }

    /** The meeting's node did it; false when it is on no other node or that node did not (or did not answer). */
    private boolean elsewhere(long roomId, String operation, Object call) {
        Optional<String> node = remote.nodeOf(roomId);
        return node.isPresent() && remote.call(node.get(), operation, call, Boolean.class).orElse(false);
    }

    private boolean endHere(long roomId, Actor actor, String address) {
        LiveRoom live = liveRooms.find(roomId).orElse(null);
        if (live == null) {
            return false;
        }
        audit.recordBy(actor.id(), actor.email(), address, AuditAction.MEETING_ENDED, "room " + live.slug(),
                "room " + live.slug() + "; " + live.size() + " present");
        meetings.endMeeting(live, notice(Action.END, actor));
        return true;
    }

    private boolean removeHere(long roomId, String participantId, Actor actor, String address) {
        LiveRoom live = liveRooms.find(roomId).orElse(null);
        Participant target = live == null ? null : live.participant(participantId);
        if (target == null) {
            return false;
        }
        meetings.leave(live, target, "removed");
        meetings.sendAway(target, notice(Action.REMOVE, actor), ByeReason.REMOVED);
        audit.recordBy(actor.id(), actor.email(), address, AuditAction.MEETING_PARTICIPANT_REMOVED, names.of(target),
                "room " + live.slug());
        return true;
    }

    /** A room's host acting through the REST API (api.ApiMeetings) is named as a host, an admin as an admin. */
    private static ServerMessage.Moderated notice(Action action, Actor actor) {
        return actor.admin() ? ServerMessage.Moderated.byAdmin(action, actor.name())
                : new ServerMessage.Moderated(action, new ServerMessage.ChatSender("", actor.name()), false, false);
    }
}
