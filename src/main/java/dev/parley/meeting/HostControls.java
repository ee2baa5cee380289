package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.meeting.ClientMessage.Moderate;
import dev.parley.meeting.ClientMessage.Moderate.Action;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomService;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * The host controls in a meeting (docs/signaling.md, section 8): mute one or all, ask to unmute, stop a camera,
 * remove (and ban), lock and unlock, admit everyone waiting, end the meeting, make or unmake co-hosts. Each is
 * authorised here, on the server, against the sender as it is now, told to whom it concerns and written to the audit
 * log.
 *
 * <p>Hosts (the room's owner while a host, and admins) may do everything; co-hosts everything but ending the meeting
 * and making or unmaking co-hosts. Nobody uses them on themselves; a co-host does not use them on a host; nobody
 * removes a host (they manage the room and may always come back). Nobody is unmuted remotely: a mute or a stopped
 * camera is done by the person's own page, which they may undo, and asking to unmute only shows them a prompt.
 */
@Service
public class HostControls {

    /** Controls a participant may use at once, and per second in the long run; each writes to the audit log. */
    static final int BURST = 10;
    static final int PER_SECOND = 2;

    private final MeetingService meetings;
    private final MeetingAdmission admission;
    private final MeetingBans bans;
    private final RoomService rooms;
    private final UserAccountRepository users;
    private final AuditLog audit;
    private final AuditedNames names;
    private final RaisedHands hands;
    private final MeetingRecording recording;
    private final Clock clock;

    public HostControls(MeetingService meetings, MeetingAdmission admission, MeetingBans bans, RoomService rooms,
                        UserAccountRepository users, AuditLog audit, AuditedNames names, RaisedHands hands,
                        MeetingRecording recording, Clock clock) {
        this.meetings = meetings;
        this.admission = admission;
        this.bans = bans;
        this.rooms = rooms;
        this.users = users;
        this.audit = audit;
        this.names = names;
        this.hands = hands;
        this.recording = recording;
        this.clock = clock;
    }

    static Bucket newAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(BURST)
                .refillGreedy(PER_SECOND, Duration.ofSeconds(1))).build();
    }

    /**
     * Carries out a host control from a participant in the room.
     *
     * @throws Refusal not-allowed (not a host or co-host now, or not for this action or person), unknown-participant
     *     (nobody in the room with that id), bad-message (on oneself, or what does not apply to that person),
     *     rate-limited
     */
    public void moderate(Entrant sender, Moderate control) {
        Participant actor = sender.participant();
        LiveRoom live = sender.room();
        Room room = rooms.bySlug(live.slug()).filter(r -> r.getId() == live.roomId())
                .orElseThrow(() -> new Refusal("room-closed", "This room no longer exists."));
        boolean host = stillHost(actor, live, room);
        if (!host && !actor.isCohost()) {
            throw new Refusal("not-allowed", "Only hosts and co-hosts may do that.");
        }
        Action action = control.action();
        if (!host && (action == Action.END || action == Action.MAKE_COHOST || action == Action.REVOKE_COHOST)) {
            throw new Refusal("not-allowed", "Only a host may do that.");
        }
        Participant target = control.action().targeted() ? target(live, actor, control.participantId(), host) : null;
        if (!actor.moderationAllowance().tryConsume(1)) {
            throw new Refusal("rate-limited", "Too many host controls at once; wait a moment.");
        }
        Audit entry = new Audit(actor, sender.remoteAddress(), room);
        switch (action) {
            case MUTE -> {
                requireBrowser(target, "A stream has no microphone to mute here; remove it instead.");
                if (target.audio()) {
                    mute(live, actor, target);
                    entry.record(AuditAction.MEETING_MUTED, target, null);
                }
            }
            case MUTE_ALL -> {
                int muted = 0;
                for (Participant p : live.participants()) {
                    if (p != actor && !p.canModerate() && p.kind() == Participant.Kind.BROWSER && p.audio()) {
                        mute(live, actor, p);
                        muted++;
                    }
                }
                entry.record(AuditAction.MEETING_MUTED_ALL, null, muted + " muted");
            }
            case ASK_UNMUTE -> {
                requireBrowser(target, "A stream cannot be asked to unmute.");
                target.peer().send(ServerMessage.Moderated.of(Action.ASK_UNMUTE, actor, false));
                entry.record(AuditAction.MEETING_ASKED_TO_UNMUTE, target, null);
            }
            case STOP_CAMERA -> {
                requireBrowser(target, "A stream's camera cannot be stopped here; remove it instead.");
                if (target.video()) {
                    target.setMediaState(target.audio(), false);
                    target.peer().send(ServerMessage.Moderated.of(Action.STOP_CAMERA, actor, false));
                    live.broadcastUpdate(target, true);
                    entry.record(AuditAction.MEETING_CAMERA_STOPPED, target, null);
                }
            }
            case REMOVE -> remove(live, actor, target, control.ban(), entry);
            case LOCK, UNLOCK -> {
                boolean locked = action == Action.LOCK;
                if (live.isLocked() != locked) {
                    live.setLocked(locked);
                    live.broadcast(ServerMessage.RoomState.of(live), null);
                    entry.record(locked ? AuditAction.MEETING_LOCKED : AuditAction.MEETING_UNLOCKED, null, null);
                }
            }
            case RECORD -> {
                if (live.recording() == null) {
                    recording.start(live, actor.displayName());
                    entry.record(AuditAction.RECORDING_STARTED, null, null);
                }
            }
            case STOP_RECORDING -> {
                if (recording.stop(live, "stopped")) {
                    entry.record(AuditAction.RECORDING_STOPPED, null, null);
                }
            }
            case ADMIT_ALL -> {
                int admitted = admission.admitAll(live);
                entry.record(AuditAction.MEETING_LOBBY_ADMITTED_ALL, null, admitted + " admitted");
            }
            case END -> {
                // Written first: once everyone is out, the meeting (and whoever waits for its end) is gone.
                entry.record(AuditAction.MEETING_ENDED, null, live.size() + " present");
                meetings.endMeeting(live, ServerMessage.Moderated.of(Action.END, actor, false));
            }
            case MAKE_COHOST, REVOKE_COHOST -> {
                boolean cohost = action == Action.MAKE_COHOST;
                requireBrowser(target, "A stream cannot be a co-host.");
                if (target.isHost()) {
                    throw new Refusal("bad-message", "That person is a host already.");
                }
                if (target.isCohost() != cohost) {
                    target.setCohost(cohost);
                    target.peer().send(ServerMessage.Moderated.of(action, actor, false));
                    live.broadcastUpdate(target, true);
                    if (cohost) {
                        admission.showLobby(target, live);
                    }
                    entry.record(cohost ? AuditAction.MEETING_COHOST_GRANTED : AuditAction.MEETING_COHOST_REVOKED,
                            target, null);
                }
            }
            case LOWER_HAND -> {
                if (hands.lower(live, target)) {
                    target.peer().send(ServerMessage.Moderated.of(Action.LOWER_HAND, actor, false));
                    entry.record(AuditAction.MEETING_HAND_LOWERED, target, null);
                }
            }
            case LOWER_ALL_HANDS -> {
                int lowered = 0;
                for (Participant p : live.participants()) {
                    // as lower-hand: a co-host's leaves the hosts' hands up
                    if (p != actor && (host || !p.isHost()) && hands.lower(live, p)) {
                        p.peer().send(ServerMessage.Moderated.of(Action.LOWER_HAND, actor, false));
                        lowered++;
                    }
                }
                entry.record(AuditAction.MEETING_HANDS_LOWERED_ALL, null, lowered + " lowered");
            }
            default -> throw new IllegalStateException("no handler for " + action);
        }
    }

    /**
     * Whether the participant is a host by its account as it is now, not only as it was at join: a host whose role or
     * room changed since loses its powers here and now (everyone is told, as when the change is heard of).
     */
    private boolean stillHost(Participant participant, LiveRoom live, Room room) {
        if (!participant.isHost() || participant.userId() == null) {
            return false;
        }
        ParleyUser viewer = participant.userId() == null ? null : users.findById(participant.userId())
                .filter(UserAccount::isEnabled).map(u -> new ParleyUser(u, clock.instant())).orElse(null);
        if (RoomPolicy.canManage(viewer, room)) {
            return true;
        }
        meetings.revokeHost(participant.userId(), roomId -> roomId != live.roomId());
        return false;
    }

    private static Participant target(LiveRoom live, Participant actor, String participantId, boolean host) {
        Participant target = live.participant(participantId);
        if (target == null) {
            throw new Refusal("unknown-participant", "That person is not in the meeting (any more).");
        }
        if (target == actor) {
            throw new Refusal("bad-message", "Use your own controls for yourself.");
        }
        if (target.isHost() && !host) {
            throw new Refusal("not-allowed", "A co-host cannot do that to a host.");
        }
        return target;
    }

    private static void requireBrowser(Participant target, String why) {
        if (target.kind() != Participant.Kind.BROWSER) {
            throw new Refusal("bad-message", why);
        }
    }

    /** Shown muted to everyone at once; the person's page mutes its microphone on the notice, and may unmute. */
    private static void mute(LiveRoom live, Participant actor, Participant target) {
        target.setMediaState(false, target.video());
        target.peer().send(ServerMessage.Moderated.of(Action.MUTE, actor, false));
        live.broadcastUpdate(target, true);
    }

    private void remove(LiveRoom live, Participant actor, Participant target, boolean ban, Audit entry) {
        if (target.isHost()) {
            throw new Refusal("not-allowed", "A host cannot be removed: they manage the room.");
        }
        if (ban && target.kind() != Participant.Kind.BROWSER) {
            throw new Refusal("bad-message", "A stream cannot be banned; remove it and replace the room's streaming "
                    + "token.");
        }
        if (ban) {
            bans.ban(live.roomId(), target);
        }
        meetings.leave(live, target, "removed");
        meetings.sendAway(target, ServerMessage.Moderated.of(Action.REMOVE, actor, ban),
                ban ? ByeReason.BANNED : ByeReason.REMOVED);
        entry.record(ban ? AuditAction.MEETING_PARTICIPANT_BANNED : AuditAction.MEETING_PARTICIPANT_REMOVED, target,
                null);
        if (ban) {
            // The same person's other tabs (its account, or its browser session) go too, from the room and the lobby.
            for (Participant other : live.participants()) {
                if (other != actor && other.kind() == Participant.Kind.BROWSER && !other.isHost()
                        && bans.isBanned(live.roomId(), other.userId(), other.visitorKey())) {
                    meetings.leave(live, other, "removed");
                    meetings.sendAway(other, ServerMessage.Moderated.of(Action.REMOVE, actor, true),
                            ByeReason.BANNED);
                }
            }
            admission.turnAwayBanned(live);
        }
    }

    /** One control's audit entry: who (the account's email, or a guest's name), from where, in which room. */
    private final class Audit {
        private final Participant actor;
        private final String address;
        private final Room room;

        Audit(Participant actor, String address, Room room) {
            this.actor = actor;
            this.address = address;
            this.room = room;
        }

        void record(AuditAction action, Participant target, String details) {
            String where = "room " + room.getSlug() + (details == null ? "" : "; " + details);
            audit.recordBy(actor.userId(), names.of(actor), address, action,
                    target == null ? "room " + room.getSlug() : names.of(target), where);
        }
    }
}
