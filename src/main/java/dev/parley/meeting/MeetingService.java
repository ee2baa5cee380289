package dev.parley.meeting;

import dev.parley.meeting.ServerMessage.ParticipantInfo;
import dev.parley.relay.Relay;
import dev.parley.relay.Offer;
import dev.parley.relay.RelayException;
import dev.parley.relay.RoomEvents;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import dev.parley.rooms.Room;
import dev.parley.turn.IceServer;
import dev.parley.turn.TurnServers;
import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Who is in which room, kept in step with the relay: entering opens a transport, leaving (for any reason) closes it
 * and tells everyone else. Browsers and WHIP streams are both participants. A browser whose signalling or media drops
 * keeps its place while it reconnects ({@link #suspend}, {@link #resume}), for the {@link ReconnectGrace}.
 */
@Service
public class MeetingService {

    private static final Logger log = LoggerFactory.getLogger(MeetingService.class);

    private final LiveRooms liveRooms;
    private final Relay relay;
    /** Browsers' transports: on this relay, or on another node's for a meeting that spans nodes. */
    private final MediaNodes media;
    private final RelayMetrics metrics;
    private final ResumeTokens resumeTokens;
    private final ReconnectGrace grace;
    private final TurnServers turnServers;
    /**
     * Runs what the relay reports (offers, lost transports) and what follows its answers off its loop thread, in
     * order: those turn into WebSocket writes and meter changes, which can block, and the loop thread forwards
     * everyone's media. Relay futures complete on the loop thread, so their continuations come here too.
     */
    private final ExecutorService relayEvents = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-relay-events");
        thread.setDaemon(true);
        return thread;
    });

    public MeetingService(LiveRooms liveRooms, Relay relay, MediaNodes media, RelayMetrics metrics,
                          ResumeTokens resumeTokens, ReconnectGrace grace, TurnServers turnServers) {
        if (turnServers.enabled() && turnServers.lifetime().compareTo(grace.grace()) < 0) {
            throw new IllegalStateException("PARLEY_TURN_CREDENTIAL_LIFETIME (" + turnServers.lifetime()
                    + ") must be at least PARLEY_MEETING_RECONNECT_GRACE (" + grace.grace() + ")");
        }
        this.liveRooms = liveRooms;
        this.relay = relay;
        this.media = media;
        this.metrics = metrics;
        this.resumeTokens = resumeTokens;
        this.grace = grace;
        this.turnServers = turnServers;
        relay.setRoomEvents(new RoomEvents() {
            @Override
            public void onActiveSpeaker(String relayRoomId, String participantId) {
                onRelayEvent(() -> announceSpeaker(relayRoomId, participantId));
            }

            @Override
            public void onForwardedVideo(String relayRoomId, List<String> participantIds) {
                onRelayEvent(() -> announceForwardedVideo(relayRoomId, participantIds));
            }
        });
    }

    @PreDestroy
    void stopRelayEvents() {
        relayEvents.shutdownNow();
    }

    public static String newParticipantId() {
        return "p-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static String relayRoomId(long roomId) {
        return "room-" + roomId;
    }

    /** The room id in a relay room id ({@link #relayRoomId}), or -1 when it is none. */
    static long roomIdOf(String relayRoomId) {
        if (relayRoomId == null || !relayRoomId.startsWith("room-")) {
            return -1;
        }
        try {
            return Long.parseLong(relayRoomId.substring("room-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The relay heard someone else take the floor (or everyone fall silent): everyone in the room is told. */
    private void announceSpeaker(String relayRoomId, String participantId) {
        long roomId = roomIdOf(relayRoomId);
        if (roomId < 0) {
            return;
        }
        liveRooms.find(roomId).ifPresent(live -> {
            String speaker = participantId != null && live.participant(participantId) != null ? participantId : null;
            live.setActiveSpeaker(speaker);
            live.broadcast(new ServerMessage.ActiveSpeaker(speaker), null);
        });
    }

    /** Last-N changed whose video the relay forwards: everyone in the room is told, so the others show a picture. */
    private void announceForwardedVideo(String relayRoomId, List<String> participantIds) {
        long roomId = roomIdOf(relayRoomId);
        if (roomId < 0) {
            return;
        }
        liveRooms.find(roomId).ifPresent(live -> {
            live.setForwardedVideo(participantIds);
            live.broadcast(new ServerMessage.ForwardedVideo(live.forwardedVideo()), null);
        });
    }

    /**
     * Admits a browser participant into {@code live}, the room's meeting it came to: welcome, announcement, then the
     * relay's first offer. {@link LiveRoom.Admission#ENDED} when that meeting ended meanwhile.
     */
    public LiveRoom.Admission enterBrowser(LiveRoom live, Room room, Participant participant) {
        String resumeToken = resumeTokens.issue(participant.id(), room.getId());
        List<IceServer> iceServers = turnServers.forPeer(participant.id());
        LiveRoom.Admission admission = live.tell(() -> {
            LiveRoom.Admission admitted = live.admit(participant, room.getMaxParticipants());
            if (admitted != LiveRoom.Admission.ADMITTED) {
                return admitted;
            }
            List<Participant> others = live.participants().stream().filter(p -> p != participant).toList();
            participant.peer().send(ServerMessage.Welcome.of(participant, ServerMessage.RoomInfo.of(room, live),
                    others, resumeToken, grace.grace().toMillis(), iceServers));
            tellWhereTheRoomIs(live, participant, participant.peer(), false);
            // The others hear of it in the same step: a leave (its socket closed meanwhile) comes before it is in the
            // room, and changes nothing, or after they heard it join; never in between, which would leave a ghost on
            // their lists.
            live.broadcast(new ServerMessage.ParticipantJoined(ParticipantInfo.of(participant)), participant.id());
            return LiveRoom.Admission.ADMITTED;
        });
        if (admission != LiveRoom.Admission.ADMITTED) {
            resumeTokens.revoke(participant.id());
            liveRooms.releaseIfEmpty(live);
            return admission;
        }
        publishJoin(live, participant);
        openBrowserTransport(live, participant);
        return LiveRoom.Admission.ADMITTED;
    }

    /**
     * Tells whoever listens (webhooks) that the participant joined, unless it has left already. Under its lock, as
     * leave takes it: they hear it join before they hear it leave, or neither.
     */
    private void publishJoin(LiveRoom live, Participant participant) {
        synchronized (participant) {
            if (live.participant(participant.id()) == participant) {
                participant.joinPublished();
                liveRooms.joined(live, participant);
            }
        }
    }

    /**
     * What follows a welcome or resumed, inside the same {@link LiveRoom#tell}: the chat so far, the speaker, last-N
     * and the room's state as they are now; changes reach everyone from then on. {@code evenNone} also tells a speaker
     * or last-N of none, for a page that may still show an older one.
     */
    private static void tellWhereTheRoomIs(LiveRoom live, Participant participant, SignalingPeer to,
            boolean evenNone) {
        to.send(MeetingChat.historyFor(live, participant));
        String speaker = live.activeSpeaker();
        if (speaker != null || evenNone) {
            to.send(new ServerMessage.ActiveSpeaker(speaker));
        }
        List<String> forwarded = live.forwardedVideo();
        if (forwarded != null || evenNone) {
            to.send(new ServerMessage.ForwardedVideo(forwarded));
        }
        if (ServerMessage.RoomState.worthTelling(live)) {
            to.send(ServerMessage.RoomState.of(live));
        }
    }

    private void openBrowserTransport(LiveRoom live, Participant participant) {
        media.openBrowser(relayRoomId(live.roomId()), participant.id(), participant.isSharingScreen(),
                        listenerFor(live, participant))
                .whenCompleteAsync((transport, error) -> attach(live, participant, transport, error), relayEvents);
    }

    /**
     * A browser participant's connection dropped (its socket closed without a leave, or its media transport failed):
     * it stays in the room as reconnecting, the others are told, and it leaves as disconnected unless it resumes
     * within the grace. Only while {@code from} is still its client, so a late close of a replaced socket does
     * nothing.
     */
    public void suspend(LiveRoom live, Participant participant, SignalingPeer from) {
        synchronized (participant) {
            if (live.participant(participant.id()) == null || participant.peer() != from
                    || participant.connection() == Participant.Connection.RECONNECTING) {
                return;
            }
            participant.markReconnecting();
            grace.start(participant.id(), () -> graceRanOut(live, participant, from));
        }
        log.info("Participant {} is reconnecting", participant.id());
        live.broadcastUpdate(participant, false);
    }

    private void graceRanOut(LiveRoom live, Participant participant, SignalingPeer from) {
        synchronized (participant) {
            if (participant.peer() != from || participant.connection() != Participant.Connection.RECONNECTING) {
                return;
            }
            log.info("Participant {} did not come back within {}", participant.id(), grace.grace());
            leave(live, participant, "disconnected");
        }
    }

    /**
     * Gives a reconnecting (or half-open) participant's place to the client that resumed it: {@code resumed} with the
     * next token, the others told it is back, and a new media transport in place of the old one, whose first offer
     * follows. The client it replaces is closed without a bye.
     *
     * @throws Refusal resume-invalid when the participant left meanwhile
     */
    public void resume(LiveRoom live, Participant participant, Entrant client, Room room) {
        SignalingPeer previous;
        TransportHandle old;
        synchronized (participant) {
            if (live.participant(participant.id()) == null) {
                throw new Refusal("resume-invalid", "Your place in the meeting is gone; join again.");
            }
            previous = participant.peer();
            grace.cancel(participant.id());
            // Let go of the old transport before the page hears of the resume: it closes its old peer connection at
            // once, and that transport's close must then be no news (transportClosed), not another drop.
            old = participant.transport();
            participant.setTransport(null);
            String resumeToken = resumeTokens.issue(participant.id(), live.roomId());
            List<IceServer> iceServers = turnServers.forPeer(participant.id());
            live.tell(() -> { // as a welcome: the others as they are now, then every broadcast after, none before
                participant.reconnect(client);
                client.enter(participant, live);
                client.setState(Entrant.State.JOINED);
                if (previous instanceof Entrant replaced && replaced != client) {
                    replaced.setState(Entrant.State.CLOSED);
                }
                List<Participant> others = live.participants().stream().filter(p -> p != participant).toList();
                client.send(ServerMessage.Resumed.of(participant, ServerMessage.RoomInfo.of(room, live), others,
                        resumeToken, grace.grace().toMillis(), iceServers));
                // The page kept what it knew before the drop, and a change while it was away went to its old socket.
                tellWhereTheRoomIs(live, participant, client, true);
                // Under the participant's lock, as leave takes it: a host who removes the participant meanwhile is
                // told after this, and the others' pages drop it for good; told before, they would show it again.
                live.broadcastUpdate(participant, false);
                return null;
            });
        }
        if (previous != client) {
            previous.drop();
        }
        log.info("Participant {} resumed its place", participant.id());
        metrics.participantLeft(participant);
        if (old != null) {
            media.closeTransport(old, "resumed");
        }
        openBrowserTransport(live, participant);
    }

    /** Admits a WHIP stream as a participant and returns the relay's SDP answer. */
    public CompletableFuture<Relay.Session> enterWhip(Room room, Participant participant, String offer) {
        LiveRoom live = liveRooms.open(room.getId(), room.getSlug());
        switch (live.admit(participant, room.getMaxParticipants())) {
            case ADMITTED -> {
            }
            case FULL -> {
                liveRooms.releaseIfEmpty(live);
                return CompletableFuture.failedFuture(new RoomFullException());
            }
            case ENDED -> { // between its open and this admit, as the room may have been closed: the publisher retries
                return CompletableFuture.failedFuture(new MeetingGoneException());
            }
        }
        CompletableFuture<Relay.Session> entered = new CompletableFuture<>();
        relay.openWhip(relayRoomId(room.getId()), participant.id(), offer, listenerFor(live, participant))
                .whenCompleteAsync((session, error) -> {
                    if (error != null) {
                        withdraw(live, participant);
                        liveRooms.releaseIfEmpty(live);
                        entered.completeExceptionally(error);
                        return;
                    }
                    boolean gone;
                    synchronized (participant) { // as leave takes it: it comes before all of this, or after
                        gone = live.participant(participant.id()) != participant;
                        if (gone) {
                            // The meeting ended, or the stream was taken out, while the relay answered: leave found
                            // no transport yet if it came before onCreated. The publisher is told, not answered.
                            media.closeTransport(session.transport(), "left");
                        } else {
                            participant.setTransport(session.transport());
                            metrics.participantJoined(participant, live);
                            if (live.broadcastJoined(participant)) {
                                participant.joinPublished();
                                liveRooms.joined(live, participant);
                            }
                        }
                    }
                    if (gone) {
                        entered.completeExceptionally(new MeetingGoneException());
                    } else {
                        entered.complete(session);
                    }
                }, relayEvents)
                .whenComplete((ignored, failure) -> {
                    if (failure != null) { // the step above failed, or could not run (shutting down)
                        entered.completeExceptionally(failure);
                    }
                });
        return entered;
    }

    /**
     * A WHIP stream whose offer the relay could not read: out of the room before it joined. A page welcomed meanwhile
     * listed it, so the room is told it left; the others never heard of it (their pages ignore it). (An offer the relay
     * refused once its transport was made closes that transport first, and leaves through transportClosed.)
     */
    private static void withdraw(LiveRoom live, Participant participant) {
        live.tell(() -> {
            if (live.remove(participant.id())) {
                live.broadcast(new ServerMessage.ParticipantLeft(participant.id(), "disconnected"), participant.id());
            }
            return null;
        });
    }

    /** A WHEP player of one participant, or (with {@code followSpeaker}) of whoever speaks, starting on that one. */
    public CompletableFuture<Relay.Session> startWhep(Room room, String targetParticipantId, boolean followSpeaker,
                                                      String offer, TransportEvents listener) {
        return relay.openWhep(relayRoomId(room.getId()), targetParticipantId, followSpeaker, newParticipantId(), offer,
                listener);
    }

    private void attach(LiveRoom live, Participant participant, TransportHandle transport, Throwable error) {
        if (error != null) {
            log.warn("Could not open a relay transport for {}: {}", participant.id(), error.toString());
            leave(live, participant, "disconnected");
            participant.peer().close(ByeReason.SERVER_SHUTDOWN);
            return;
        }
        // onCreated set the participant's transport before this; a resume may have replaced it since. Under the
        // participant's lock, as leave takes it: meters registered after its leave would stay for good.
        synchronized (participant) {
            if (live.participant(participant.id()) == null || participant.transport() != transport) {
                media.closeTransport(transport, "left");
                return;
            }
            metrics.participantJoined(participant, live);
        }
        if (participant.isSharingScreen()) {
            // A share that started while this transport was being opened (the flag was read before it was set).
            media.allowScreenShare(transport, true);
        }
    }

    private TransportEvents listenerFor(LiveRoom live, Participant participant) {
        return new TransportEvents() {
            private volatile TransportHandle own;

            @Override
            public void onCreated(TransportHandle transport) {
                own = transport;
                participant.setTransport(transport); // a volatile write; the offer that follows needs it
            }

            @Override
            public void onOffer(Offer offer) {
                onRelayEvent(() -> {
                    if (participant.transport() == own) { // not an offer of a transport a resume replaced
                        participant.peer().send(ServerMessage.Offer.of(offer));
                    }
                });
            }

            @Override
            public void onPausedVideo(List<String> mids) {
                onRelayEvent(() -> {
                    if (participant.transport() == own) {
                        participant.peer().send(new ServerMessage.PausedVideo(mids));
                    }
                });
            }

            @Override
            public void onClosed(String reason) {
                onRelayEvent(() -> transportClosed(live, participant, own, reason));
            }
        };
    }

    private void onRelayEvent(Runnable event) {
        try {
            relayEvents.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException e) {
                    log.warn("Handling a relay event failed", e);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("Relay event dropped: shutting down");
        }
    }

    /**
     * A transport closed that the web app did not close: a WHIP stream leaves; a browser reconnects (its socket is
     * dropped so that its page resumes with a new transport). A transport that a resume replaced is no news.
     */
    private void transportClosed(LiveRoom live, Participant participant, TransportHandle transport, String reason) {
        if (live.participant(participant.id()) == null || transport == null || participant.transport() != transport) {
            return;
        }
        log.info("Participant {} lost its media connection: {}", participant.id(), reason);
        if (participant.kind() == Participant.Kind.WHIP) {
            leave(live, participant, "disconnected");
            participant.peer().close(ByeReason.REMOVED);
            return;
        }
        SignalingPeer client = participant.peer();
        suspend(live, participant, client);
        client.drop();
    }

    /**
     * Removes a participant (idempotent), tells the others and closes the media transport. Under the participant's
     * lock, as a resume takes it: a resume either finds it gone, or has told the others before they hear it left.
     */
    public void leave(LiveRoom live, Participant participant, String reason) {
        synchronized (participant) {
            leaveNow(live, participant, reason);
        }
    }

    private void leaveNow(LiveRoom live, Participant participant, String reason) {
        boolean removed = live.remove(participant.id());
        resumeTokens.revoke(participant.id());
        grace.cancel(participant.id());
        TransportHandle transport = participant.transport();
        if (transport != null) {
            media.closeTransport(transport, "left");
        }
        if (removed) {
            metrics.participantLeft(participant);
            live.broadcast(new ServerMessage.ParticipantLeft(participant.id(), reason), participant.id());
            if (participant.wasJoinPublished()) {
                liveRooms.left(live, participant, reason);
            }
        }
        liveRooms.releaseIfEmpty(live);
    }

    /**
     * The participant's page shows its received video at these sizes, as it read the track list of offer
     * {@code version} (-1: not said): the relay picks layers to fit.
     */
    public void showTiles(Participant participant, List<ClientMessage.TileSizes.Tile> tiles, int version) {
        TransportHandle transport = participant.transport();
        if (transport == null) {
            return; // no transport yet (in the lobby): nothing is received, nothing to size
        }
        Map<String, int[]> sizes = new HashMap<>();
        for (ClientMessage.TileSizes.Tile tile : tiles) {
            sizes.put(tile.mid(), new int[] {tile.width(), tile.height()});
        }
        media.setTileSizes(transport, sizes, version);
    }

    /**
     * Hands a browser's SDP answer to the relay. A refusal (stale-answer, bad-sdp, ...) goes back to the browser as an
     * error naming the answer; one with no offer waiting is refused at once.
     */
    public void answer(Participant participant, int version, String sdp) {
        TransportHandle transport = participant.transport();
        if (transport == null) {
            throw new Refusal("stale-answer", "No offer is waiting for an answer.");
        }
        media.applyAnswer(transport, version, sdp).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RelayException refused) {
                if (!"stale-answer".equals(refused.code())) {
                    // The page ends its visit on this (bad-sdp), so it is worth a line where the operator looks.
                    String why = String.valueOf(refused.getMessage()); // may quote a line of the browser's SDP
                    log.info("Participant {}'s answer to offer {} was refused: {} ({})", participant.id(), version,
                            refused.code(), why.length() > 200 ? why.substring(0, 200) + "…" : why);
                }
                participant.peer().send(new ServerMessage.Error(refused.code(), refused.getMessage(), "answer"));
            } else {
                log.warn("Applying an answer failed", cause);
                participant.peer().send(new ServerMessage.Error("internal", "The server could not apply the answer.",
                        "answer"));
            }
        }, relayEvents);
    }

    /** Ends a room for everyone in it (the host cancelled it). */
    public void closeRoom(long roomId) {
        liveRooms.find(roomId).ifPresent(live -> {
            for (Participant p : live.waiting()) {
                live.leaveLobby(p.id());
                p.peer().close(ByeReason.ROOM_CLOSED);
            }
            for (Participant p : live.participants()) {
                leave(live, p, "removed");
                p.peer().close(ByeReason.ROOM_CLOSED);
            }
            liveRooms.releaseIfEmpty(live); // also with only a lobby, which no leave releases
        });
    }

    /**
     * A host ended the meeting for everyone: those waiting in the lobby and everyone in the room (the host too) get
     * the notice and bye meeting-ended.
     */
    public void endMeeting(LiveRoom live, ServerMessage notice) {
        for (Participant p : live.waiting()) {
            live.leaveLobby(p.id());
            sendAway(p, notice, ByeReason.MEETING_ENDED);
        }
        for (Participant p : live.participants()) {
            leave(live, p, "removed");
            sendAway(p, notice, ByeReason.MEETING_ENDED);
        }
        liveRooms.releaseIfEmpty(live);
    }

    /**
     * The meeting moves to another node (this one drains): its browsers leave it here and get bye moved, upon which
     * their pages join again, landing on the new node; WHIP and WHEP sessions, which cannot be told, stay.
     *
     * @return how many browsers were sent away
     */
    public int moveBrowsers(LiveRoom live) {
        int moved = 0;
        for (Participant p : live.waiting()) {
            live.leaveLobby(p.id());
            sendAway(p, null, ByeReason.MOVED);
            moved++;
        }
        for (Participant p : live.participants()) {
            if (p.kind() == Participant.Kind.BROWSER) {
                leave(live, p, "moved");
                sendAway(p, null, ByeReason.MOVED);
                moved++;
            }
        }
        return moved;
    }

    /**
     * Tells a participant who is out (of the room or its lobby) why (the notice, when there is one), and closes its
     * connection; its client may send nothing more meanwhile.
     */
    void sendAway(Participant participant, ServerMessage notice, ByeReason reason) {
        if (participant.peer() instanceof Entrant entrant) {
            entrant.setState(Entrant.State.CLOSED);
        }
        if (notice != null) {
            participant.peer().send(notice);
        }
        participant.peer().close(reason);
    }

    /**
     * Takes host powers away from a person, in the rooms where {@code stillManages} says their account no longer
     * manages the room; everyone there (them included) is told through participant-updated.
     */
    public void revokeHost(long userId, LongPredicate stillManages) {
        for (LiveRoom live : liveRooms.all()) {
            for (Participant p : live.participants()) {
                if (p.isHost() && Long.valueOf(userId).equals(p.userId()) && !stillManages.test(live.roomId())) {
                    p.revokeHost();
                    live.broadcastUpdate(p, true);
                }
            }
        }
    }

    /** Takes a person whose access was revoked (disabled, deleted, password reset) out of every meeting and lobby. */
    public void removeUser(long userId) {
        for (LiveRoom live : liveRooms.all()) {
            for (Participant p : live.waiting()) {
                if (Long.valueOf(userId).equals(p.userId()) && live.leaveLobby(p.id()) != null) {
                    live.tellModerators(new ServerMessage.LobbyResolved(p.id())); // its close then finds it gone
                    p.peer().close(ByeReason.REMOVED);
                }
            }
            for (Participant p : live.participants()) {
                if (Long.valueOf(userId).equals(p.userId())) {
                    leave(live, p, "removed");
                    p.peer().close(ByeReason.REMOVED);
                }
            }
            liveRooms.releaseIfEmpty(live);
        }
    }

    /** The meeting ended, or the stream was taken out of it, while the relay was setting the stream up. */
    public static final class MeetingGoneException extends RuntimeException {
        public MeetingGoneException() {
            super("meeting-gone");
        }
    }

    /** The room holds as many people as its host allowed. */
    public static final class RoomFullException extends RuntimeException {
        public RoomFullException() {
            super("room-full");
        }
    }
}
