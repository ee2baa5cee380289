package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.meeting.ClientMessage.Join;
import dev.parley.meeting.ClientMessage.LobbyDecision;
import dev.parley.meeting.ClientMessage.Resume;
import dev.parley.meeting.ServerMessage.ParticipantInfo;
import dev.parley.meeting.Entrant.State;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomService;
import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * Who may enter a meeting over signalling, and when (docs/signaling.md, sections 1, 2 and 4): the join ticket, the
 * room's rules checked again at join, who is a host, the lobby (waiting, admitted or turned away by a host), the
 * room's maximum, who may take a dropped participant's place back (resume), and which messages an {@link Entrant}
 * may send in each state. Everything is decided here, on the
 * server; {@link SignalingHandler} only carries the messages. No WebSocket is needed to use it.
 */
@Service
public class MeetingAdmission {

    /** How often a join opens the room's meeting again when the one it opened ended before it was let in. */
    static final int ENTRY_ATTEMPTS = 3;

    private final JoinTickets tickets;
    private final RoomService rooms;
    private final RoomEntry entry;
    private final UserAccountRepository users;
    private final MeetingService meetings;
    private final LiveRooms liveRooms;
    private final ResumeTokens resumeTokens;
    private final ResumeAttempts resumeAttempts;
    private final MeetingChat chat;
    private final MeetingBans bans;
    private final Clock clock;

    public MeetingAdmission(JoinTickets tickets, RoomService rooms, RoomEntry entry, UserAccountRepository users,
                            MeetingService meetings, LiveRooms liveRooms, ResumeTokens resumeTokens,
                            ResumeAttempts resumeAttempts, MeetingBans bans, MeetingChat chat, Clock clock) {
        this.tickets = tickets;
        this.rooms = rooms;
        this.entry = entry;
        this.users = users;
        this.meetings = meetings;
        this.liveRooms = liveRooms;
        this.resumeTokens = resumeTokens;
        this.resumeAttempts = resumeAttempts;
        this.chat = chat;
        this.bans = bans;
        this.clock = clock;
    }

    /**
     * Refuses a message its sender may not send now, before its fields are read: a join or resume only once
     * (already-joined);
     * everything but leave and ping only once in the room (not-joined); a lobby decision only from a host or co-host
     * (forbidden); a host control only from a host or co-host (not-allowed; {@link HostControls} checks each action).
     */
    public void checkAllowed(Entrant entrant, Class<? extends ClientMessage> kind) {
        if (kind == Join.class || kind == Resume.class) {
            if (entrant.state() != State.NEW) {
                throw new Refusal("already-joined", "This connection has joined already.");
            }
        } else if (kind != ClientMessage.Leave.class && kind != ClientMessage.Ping.class) {
            if (entrant.state() != State.JOINED) {
                throw new Refusal("not-joined", "Join the room first.");
            }
            if (kind == LobbyDecision.class && !entrant.participant().canModerate()) {
                throw new Refusal("forbidden", "Only hosts decide who comes in.");
            }
            if (kind == ClientMessage.Moderate.class && !entrant.participant().canModerate()) {
                throw new Refusal("not-allowed", "Only hosts and co-hosts may do that.");
            }
        }
    }

    /**
     * A join: the ticket (signature, expiry, single use), the room and the account as they are now, the room's rules
     * with the ticket's passcode flag, then the lobby for everyone but hosts in a lobby room, else the room itself.
     */
    public void join(Entrant entrant, Join join) {
        checkAllowed(entrant, Join.class);
        JoinTickets.Result redeemed = tickets.redeem(join.ticket());
        if (redeemed.problem() == JoinTickets.Problem.EXPIRED) {
            throw new Refusal("ticket-expired", "The join ticket expired; reload the page.");
        }
        if (redeemed.ticket() == null) {
            throw new Refusal("ticket-invalid", "The join ticket is not valid.");
        }
        JoinTickets.Ticket ticket = redeemed.ticket();
        Room room = roomOf(ticket);
        ParleyUser viewer = null;
        Long accountEpoch = null;
        if (ticket.userId() != null) {
            UserAccount account = users.findById(ticket.userId()).filter(u -> u.isEnabled())
                    .orElseThrow(() -> new Refusal("forbidden", "This account may not join."));
            viewer = new ParleyUser(account, clock.instant());
            accountEpoch = account.getSessionEpoch();
            Long sessionUser = entrant.sessionUserId();
            if (sessionUser != null && !sessionUser.equals(viewer.id())) {
                throw new Refusal("forbidden", "The ticket belongs to someone else.");
            }
        }
        checkOpen(room, viewer, ticket);
        boolean host = RoomPolicy.canManage(viewer, room);
        if (!host && bans.isBanned(room.getId(), ticket.userId(), ticket.visitor())) {
            throw new Refusal("banned", "The host removed you from this meeting and did not let you back in.");
        }
        Participant participant = new Participant(MeetingService.newParticipantId(), ticket.displayName(),
                ticket.userId(), host, Participant.Kind.BROWSER, entrant, join.audio(), join.video());
        participant.setAccountEpoch(accountEpoch);
        participant.setVisitorKey(ticket.visitor());
        for (int attempt = 1; !enter(entrant, participant, room, host); attempt++) {
            // The room's meeting ended between its open and this entry (its last person left, or a host ended it,
            // or closed the room): into the room's next meeting, as if the join had come a moment later, if the
            // room still lets it in.
            try {
                if (attempt == ENTRY_ATTEMPTS) {
                    throw new Refusal("room-closed", "The meeting ended as you joined; join again.");
                }
                room = roomOf(ticket);
                checkOpen(room, viewer, ticket);
            } catch (Refusal refused) {
                entrant.moveUnlessClosed(State.NEW);
                throw refused;
            }
        }
    }

    private Room roomOf(JoinTickets.Ticket ticket) {
        return rooms.bySlug(ticket.slug()).filter(r -> r.getId() == ticket.roomId())
                .orElseThrow(() -> new Refusal("room-closed", "This room no longer exists."));
    }

    /** The room's rules for this person now, with the ticket's passcode flag. */
    private void checkOpen(Room room, ParleyUser viewer, JoinTickets.Ticket ticket) {
        switch (entry.decide(room, viewer, ticket.passcodeVerified())) {
            case CANCELLED -> throw new Refusal("room-closed", "The meeting was cancelled.");
            case ENDED, NOT_STARTED -> throw new Refusal("room-closed", "The meeting is not open now.");
            case LOGIN_REQUIRED, PASSCODE_REQUIRED -> throw new Refusal("forbidden", "You may not join this room.");
            case ALLOWED -> {
            }
        }
    }

    /**
     * Into the room's meeting as it is now, or its lobby; false when that meeting ended before it was let in (nothing
     * changed then: open it again).
     */
    private boolean enter(Entrant entrant, Participant participant, Room room, boolean host) {
        LiveRoom live = liveRooms.open(room.getId(), room.getSlug());
        chat.recall(live, room);
        entrant.enter(participant, live);
        boolean locked = live.isLocked();
        if ((room.isLobbyEnabled() || locked) && !host) {
            if (!entrant.moveUnlessClosed(State.LOBBY)) {
                liveRooms.releaseIfEmpty(live); // its socket closed while the join was read
                return true;
            }
            if (!live.enterLobby(participant)) {
                return false;
            }
            if (entrant.state() == State.CLOSED) { // closed meanwhile: its departure may have found no one in the lobby
                if (live.leaveLobby(participant.id()) != null) {
                    liveRooms.releaseIfEmpty(live);
                }
                return true;
            }
            entrant.send(locked ? ServerMessage.Lobby.locked() : ServerMessage.Lobby.waiting());
            // Only while it still waits, in the room's announcement order: a host letting everyone in, or its socket
            // closing, may settle the request first, and a lobby-request after its lobby-resolved would stay on the
            // hosts' pages for good.
            live.tell(() -> {
                if (live.isWaiting(participant)) {
                    live.tellModerators(new ServerMessage.LobbyRequest(ParticipantInfo.of(participant)));
                }
                return null;
            });
            return true;
        }
        return admit(entrant, room);
    }

    /**
     * A resume: the token (single use, for a participant of the room the client names, still in it: within its grace
     * or with a half-open old socket), the account as it is now (enabled, no sessions ended since the join, the same person as the socket's
     * sign-in), then the place is handed over. Failed attempts count against the client's address (rate-limited).
     * A token is spent only once the checks passed, except that a disabled account's participant leaves as removed.
     */
    public void resume(Entrant entrant, Resume resume) {
        checkAllowed(entrant, Resume.class);
        String address = entrant.remoteAddress();
        if (!resumeAttempts.allowed(address)) {
            throw new Refusal("rate-limited", "Too many attempts to resume; join again in a moment.");
        }
        ResumeTokens.Holder holder = resumeTokens.holder(resume.token());
        LiveRoom live = holder == null ? null : liveRooms.find(holder.roomId()).orElse(null);
        Participant participant = live == null || !live.slug().equals(resume.slug()) ? null
                : live.participant(holder.participantId());
        if (participant == null) {
            resumeAttempts.failed(address);
            throw new Refusal("resume-invalid", "Your place in the meeting is gone; join again.");
        }
        ParleyUser viewer = null;
        if (participant.userId() != null) {
            Long epoch = participant.accountEpoch();
            viewer = users.findById(participant.userId()).filter(u -> u.isEnabled())
                    .filter(u -> epoch == null || u.getSessionEpoch() == epoch)
                    .map(u -> new ParleyUser(u, clock.instant())).orElse(null);
            if (viewer == null) {
                resumeTokens.redeem(resume.token());
                meetings.leave(live, participant, "removed");
                throw new Refusal("forbidden", "This account may not rejoin the meeting.");
            }
            Long sessionUser = entrant.sessionUserId();
            if (sessionUser != null && !sessionUser.equals(viewer.id())) {
                resumeAttempts.failed(address);
                throw new Refusal("forbidden", "That place belongs to someone else.");
            }
        }
        Room room = rooms.bySlug(live.slug()).filter(r -> r.getId() == live.roomId())
                .orElseThrow(() -> new Refusal("room-closed", "This room no longer exists."));
        if (resumeTokens.redeem(resume.token()) == null) { // spent by a concurrent resume
            throw new Refusal("resume-invalid", "Your place in the meeting is gone; join again.");
        }
        if (participant.isHost() && !RoomPolicy.canManage(viewer, room)) {
            meetings.revokeHost(participant.userId(), roomId -> roomId != room.getId());
        }
        meetings.resume(live, participant, entrant, room);
        if (participant.canModerate()) {
            showLobby(entrant, live);
        }
    }

    /**
     * Into the entrant's meeting, unless it is full (room-full); a host is then told who waits in the lobby. False when
     * that meeting ended before: a join's own meeting, or one a host let it into from the lobby and that someone else
     * ended meanwhile.
     */
    private boolean admit(Entrant entrant, Room room) {
        // Joined before the welcome goes out: a guest admitted from the lobby (on the host's thread) may answer the
        // welcome at once on its own.
        if (!entrant.moveUnlessClosed(State.JOINED)) {
            liveRooms.releaseIfEmpty(entrant.room()); // its socket closed while a host let it in
            return true;
        }
        LiveRoom.Admission admission = meetings.enterBrowser(entrant.room(), room, entrant.participant());
        if (admission == LiveRoom.Admission.ENDED) {
            return false;
        }
        if (admission == LiveRoom.Admission.FULL) {
            entrant.moveUnlessClosed(State.NEW);
            liveRooms.releaseIfEmpty(entrant.room());
            throw new Refusal("room-full", "The room is full.");
        }
        if (entrant.state() == State.CLOSED) {
            Participant participant = entrant.participant();
            synchronized (participant) { // as lost() closes and suspends: it did both before this, or does both after
                if (participant.peer() == entrant && participant.connection() != Participant.Connection.RECONNECTING) {
                    // Its socket closed while it was let in, and the close found it not yet in the room: it never got
                    // its welcome, so it cannot resume. Without this it would stay until its media transport gave up.
                    // (Closed once in the room, it reconnects as any dropped page does: it may have its welcome, and
                    // may even have resumed over another socket already.)
                    meetings.leave(entrant.room(), participant, "disconnected");
                    return true;
                }
            }
        }
        if (entrant.participant().canModerate()) {
            showLobby(entrant, entrant.room());
        }
        return true;
    }

    /**
     * A host lets someone in from the lobby or turns them away (bye denied). Every host learns that the request is
     * settled. If the room filled up meanwhile, the one waiting gets room-full, as if their own join had failed.
     */
    public void decideLobby(Entrant host, LobbyDecision decision) {
        checkAllowed(host, LobbyDecision.class);
        LiveRoom live = host.room();
        Participant waiting = live.leaveLobby(decision.participantId());
        if (waiting == null) {
            throw new Refusal("bad-message", "Nobody with that id is waiting.");
        }
        ServerMessage resolved = new ServerMessage.LobbyResolved(decision.participantId());
        live.tellModerators(resolved);
        Entrant waitingEntrant = (Entrant) waiting.peer(); // a lobby holds only those who joined over signalling
        if (!decision.admit()) {
            waitingEntrant.setState(State.CLOSED);
            waitingEntrant.close(ByeReason.DENIED);
            return;
        }
        Room room = rooms.bySlug(live.slug()).orElseThrow(
                () -> new Refusal("room-closed", "This room no longer exists."));
        admitWaiting(waitingEntrant, room);
    }

    /**
     * Lets everyone in the lobby in, as a host's admit-all: each as if admitted alone, in the order they came; those
     * the room has no place for get room-full. Returns how many were let in.
     */
    int admitAll(LiveRoom live) {
        Room room = rooms.bySlug(live.slug()).filter(r -> r.getId() == live.roomId()).orElseThrow(
                () -> new Refusal("room-closed", "This room no longer exists."));
        int admitted = 0;
        for (Participant waiting : live.waiting()) {
            if (live.leaveLobby(waiting.id()) == null) {
                continue; // decided by another host meanwhile, or gone
            }
            ServerMessage resolved = new ServerMessage.LobbyResolved(waiting.id());
            live.tellModerators(resolved);
            if (admitWaiting((Entrant) waiting.peer(), room)) {
                admitted++;
            }
        }
        return admitted;
    }

    private boolean admitWaiting(Entrant waitingEntrant, Room room) {
        Participant waiting = waitingEntrant.participant();
        if (!waiting.isHost() && bans.isBanned(room.getId(), waiting.userId(), waiting.visitorKey())) {
            // banned (in another tab) while it waited
            meetings.sendAway(waiting, null, ByeReason.BANNED);
            return false;
        }
        try {
            if (!admit(waitingEntrant, room)) {
                // Ended while it was let in (out of the lobby, so the end did not send it away): as if it had ended
                // a moment before.
                meetings.sendAway(waitingEntrant.participant(), null, ByeReason.MEETING_ENDED);
                return false;
            }
            return true;
        } catch (Refusal full) {
            waitingEntrant.send(ServerMessage.Error.of(full, "join"));
            return false;
        }
    }

    /** Those in the lobby whom a ban now covers (another tab of the one banned) are turned away, and hosts told. */
    void turnAwayBanned(LiveRoom live) {
        for (Participant waiting : live.waiting()) {
            if (!waiting.isHost() && bans.isBanned(live.roomId(), waiting.userId(), waiting.visitorKey())
                    && live.leaveLobby(waiting.id()) != null) {
                live.tellModerators(new ServerMessage.LobbyResolved(waiting.id()));
                meetings.sendAway(waiting, null, ByeReason.BANNED);
            }
        }
    }

    /** A new co-host learns who waits in the lobby, as a host does when it joins. */
    void showLobby(Participant moderator, LiveRoom live) {
        showLobby(moderator.peer(), live);
    }

    /**
     * Who waits in the lobby, read and sent in the room's announcement order: a request settled meanwhile is either not
     * listed, or listed before the others' lobby-resolved reaches this moderator too.
     */
    private static void showLobby(SignalingPeer moderator, LiveRoom live) {
        live.tell(() -> {
            for (Participant waiting : live.waiting()) {
                moderator.send(new ServerMessage.LobbyRequest(ParticipantInfo.of(waiting)));
            }
            return null;
        });
    }

    /**
     * The entrant's socket closed without a leave: a browser in the room keeps its place as reconnecting, for the
     * grace ({@link MeetingService#suspend}); anyone else departs as disconnected. Safe to call more than once.
     */
    public void lost(Entrant entrant) {
        Participant participant = entrant.participant();
        if (participant == null || participant.kind() != Participant.Kind.BROWSER) {
            depart(entrant, "disconnected");
            return;
        }
        State previous;
        // Under the participant's lock, as an admission checks for a close: closed and suspended in one step, on the
        // state it had then (a host may let it in from the lobby meanwhile, on their thread).
        synchronized (participant) {
            previous = entrant.markClosed();
            if (previous == State.JOINED) {
                meetings.suspend(entrant.room(), participant, entrant);
                return;
            }
        }
        departFrom(entrant, previous, "disconnected");
    }

    /**
     * The entrant is gone (it left, or was closed for its rate): out of the lobby, with the hosts told, or out of the
     * room with the given reason. Safe to call more than once.
     */
    public void depart(Entrant entrant, String reason) {
        departFrom(entrant, entrant.markClosed(), reason);
    }

    private void departFrom(Entrant entrant, State previous, String reason) {
        LiveRoom live = entrant.room();
        Participant participant = entrant.participant();
        if (live == null || participant == null) {
            return;
        }
        if (previous == State.LOBBY && live.leaveLobby(participant.id()) != null) {
            ServerMessage resolved = new ServerMessage.LobbyResolved(participant.id());
            live.tellModerators(resolved);
            liveRooms.releaseIfEmpty(live);
        } else if (previous == State.JOINED) {
            meetings.leave(live, participant, reason);
        }
    }
}
