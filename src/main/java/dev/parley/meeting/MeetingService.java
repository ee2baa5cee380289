package dev.parley.meeting;

import dev.parley.meeting.ServerMessage.ParticipantInfo;
import dev.parley.relay.Relay;
import dev.parley.relay.Offer;
import dev.parley.relay.RelayException;
import dev.parley.relay.RoomEvents;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import dev.parley.rooms.Room;
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
 * and tells everyone else. Browsers and WHIP streams are both participants.
 */
@Service
public class MeetingService {

    private static final Logger log = LoggerFactory.getLogger(MeetingService.class);

    private final LiveRooms liveRooms;
    private final Relay relay;
    private final RelayMetrics metrics;
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

    public MeetingService(LiveRooms liveRooms, Relay relay, RelayMetrics metrics) {
        this.liveRooms = liveRooms;
        this.relay = relay;
        this.metrics = metrics;
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

    /** Admits a browser participant: welcome, announcement, then the relay's first offer. */
    public LiveRoom.Admission enterBrowser(Room room, Participant participant) {
        LiveRoom live = liveRooms.open(room.getId(), room.getSlug());
        if (live.admit(participant, room.getMaxParticipants()) == LiveRoom.Admission.FULL) {
            liveRooms.releaseIfEmpty(live);
            return LiveRoom.Admission.FULL;
        }
        List<Participant> others = live.participants().stream().filter(p -> p != participant).toList();
        participant.peer().send(ServerMessage.Welcome.of(participant, room, others));
        String speaker = live.activeSpeaker();
        if (speaker != null) {
            participant.peer().send(new ServerMessage.ActiveSpeaker(speaker)); // changes reach everyone from now on
        }
        List<String> forwarded = live.forwardedVideo();
        if (forwarded != null) {
            participant.peer().send(new ServerMessage.ForwardedVideo(forwarded));
        }
        announceJoin(live, participant);
        relay.openBrowser(relayRoomId(room.getId()), participant.id(), listenerFor(live, participant))
                .whenCompleteAsync((transport, error) -> attach(live, participant, transport, error), relayEvents);
        return LiveRoom.Admission.ADMITTED;
    }

    /** Admits a WHIP stream as a participant and returns the relay's SDP answer. */
    public CompletableFuture<Relay.Session> enterWhip(Room room, Participant participant, String offer) {
        LiveRoom live = liveRooms.open(room.getId(), room.getSlug());
        if (live.admit(participant, room.getMaxParticipants()) == LiveRoom.Admission.FULL) {
            liveRooms.releaseIfEmpty(live);
            return CompletableFuture.failedFuture(new RoomFullException());
        }
        return relay.openWhip(relayRoomId(room.getId()), participant.id(), offer, listenerFor(live, participant))
                .whenCompleteAsync((session, error) -> {
                    if (error != null) {
                        live.remove(participant.id());
                        liveRooms.releaseIfEmpty(live);
                    } else {
                        participant.setTransport(session.transport());
                        metrics.participantJoined(participant, live);
                        announceJoin(live, participant);
                    }
                }, relayEvents);
    }

    public CompletableFuture<Relay.Session> startWhep(Room room, String targetParticipantId, String offer,
                                                      TransportEvents listener) {
        return relay.openWhep(relayRoomId(room.getId()), targetParticipantId, newParticipantId(), offer, listener);
    }

    private void announceJoin(LiveRoom live, Participant participant) {
        live.broadcast(new ServerMessage.ParticipantJoined(ParticipantInfo.of(participant)), participant.id());
    }

    private void attach(LiveRoom live, Participant participant, TransportHandle transport, Throwable error) {
        if (error != null) {
            log.warn("Could not open a relay transport for {}: {}", participant.id(), error.toString());
            leave(live, participant, "disconnected");
            participant.peer().close(ByeReason.SERVER_SHUTDOWN);
            return;
        }
        participant.setTransport(transport);
        if (live.participant(participant.id()) == null) {
            relay.closeTransport(transport, "left");
        } else {
            metrics.participantJoined(participant, live);
        }
    }

    private TransportEvents listenerFor(LiveRoom live, Participant participant) {
        return new TransportEvents() {
            @Override
            public void onCreated(TransportHandle transport) {
                participant.setTransport(transport); // a volatile write; the offer that follows needs it
            }

            @Override
            public void onOffer(Offer offer) {
                onRelayEvent(() -> participant.peer().send(ServerMessage.Offer.of(offer)));
            }

            @Override
            public void onClosed(String reason) {
                onRelayEvent(() -> transportClosed(live, participant, reason));
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

    private void transportClosed(LiveRoom live, Participant participant, String reason) {
        if (live.participant(participant.id()) != null) {
            log.info("Participant {} lost its media connection: {}", participant.id(), reason);
            leave(live, participant, "disconnected");
            participant.peer().close(ByeReason.REMOVED);
        }
    }

    /** Removes a participant (idempotent), tells the others and closes the media transport. */
    public void leave(LiveRoom live, Participant participant, String reason) {
        boolean removed = live.remove(participant.id());
        TransportHandle transport = participant.transport();
        if (transport != null) {
            relay.closeTransport(transport, "left");
        }
        if (removed) {
            metrics.participantLeft(participant);
            live.broadcast(new ServerMessage.ParticipantLeft(participant.id(), reason), participant.id());
        }
        liveRooms.releaseIfEmpty(live);
    }

    /**
     * Hands a browser's SDP answer to the relay. A refusal (stale-answer, bad-sdp, ...) goes back to the browser as an
     * error naming the answer; one with no offer waiting is refused at once.
     */
    /** The participant's page shows its received video at these sizes: the relay picks layers to fit. */
    public void showTiles(Participant participant, List<ClientMessage.TileSizes.Tile> tiles) {
        TransportHandle transport = participant.transport();
        if (transport == null) {
            return; // no transport yet (in the lobby): nothing is received, nothing to size
        }
        Map<String, int[]> sizes = new HashMap<>();
        for (ClientMessage.TileSizes.Tile tile : tiles) {
            sizes.put(tile.mid(), new int[] {tile.width(), tile.height()});
        }
        relay.setTileSizes(transport, sizes);
    }

    public void answer(Participant participant, int version, String sdp) {
        TransportHandle transport = participant.transport();
        if (transport == null) {
            throw new Refusal("stale-answer", "No offer is waiting for an answer.");
        }
        relay.applyAnswer(transport, version, sdp).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RelayException refused) {
                participant.peer().send(new ServerMessage.Error(refused.code(), refused.getMessage(), "answer"));
            } else {
                log.warn("Applying an answer failed", cause);
                participant.peer().send(new ServerMessage.Error("internal", "The server could not apply the answer.",
                        "answer"));
            }
        }, relayEvents);
    }

    public void updateMediaState(LiveRoom live, Participant participant, boolean audio, boolean video) {
        participant.setMediaState(audio, video);
        live.broadcast(new ServerMessage.ParticipantUpdated(ParticipantInfo.of(participant)), participant.id());
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
        });
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
                    live.broadcast(new ServerMessage.ParticipantUpdated(ParticipantInfo.of(p)), null);
                }
            }
        }
    }

    /** Takes a person whose access was revoked (disabled, deleted, password reset) out of every meeting and lobby. */
    public void removeUser(long userId) {
        for (LiveRoom live : liveRooms.all()) {
            for (Participant p : live.waiting()) {
                if (Long.valueOf(userId).equals(p.userId())) {
                    live.leaveLobby(p.id());
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

    /** The room holds as many people as its host allowed. */
    public static final class RoomFullException extends RuntimeException {
        public RoomFullException() {
            super("room-full");
        }
    }
}
