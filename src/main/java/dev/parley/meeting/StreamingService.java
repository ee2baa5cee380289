package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import dev.parley.rooms.Room;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/**
 * WHIP and WHEP sessions: a WHIP stream enters the meeting as a participant, a WHEP player receives one participant's
 * audio and video. Keeps each session (the resource a {@code Location} names) until it is stopped or its transport
 * closes. Speaks no HTTP: {@link StreamingController} reads the requests and writes the responses; the bearer token
 * was checked before either runs ({@link StreamTokenFilter}).
 */
@Service
class StreamingService {

    /** How long a request waits for the relay's answer to its offer. */
    static final long ANSWER_TIMEOUT_SECONDS = 10;
    private static final String DEFAULT_STREAM_NAME = "Stream";
    private static final int MAX_STREAM_NAME = 60;

    private final RoomEntry entry;
    private final MeetingService meetings;
    private final LiveRooms liveRooms;
    private final Relay relay;
    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();

    /** One WHIP or WHEP session; {@code live} and {@code participant} only for WHIP. */
    private record StreamSession(String id, String slug, boolean whip, LiveRoom live, Participant participant,
                                 TransportHandle transport) {
    }

    /** A session the relay set up: its id (the last segment of its resource) and the relay's SDP answer. */
    record Started(String sessionId, String answer) {
    }

    /** Why no session was started; the message is safe to show to the client. */
    static final class StreamingException extends RuntimeException {

        enum Reason {
            /** A WHEP request named no participant and nobody publishes in the room. */
            NOBODY_PUBLISHING,
            /** The relay found nothing to play (the named participant is not there). */
            NOT_FOUND,
            /** The name given matches more than one participant. */
            AMBIGUOUS,
            /** The relay refused the offer. */
            BAD_OFFER,
            ROOM_FULL,
            /** The meeting ended, or the stream was taken out, while the relay set the stream up. */
            GONE,
            /** The relay did not answer in time, or the wait was interrupted. */
            NO_ANSWER,
            /** Anything else: a bug or the relay shutting down. */
            FAILED
        }

        private final Reason reason;

        StreamingException(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }

    StreamingService(RoomEntry entry, MeetingService meetings, LiveRooms liveRooms, Relay relay) {
        this.entry = entry;
        this.meetings = meetings;
        this.liveRooms = liveRooms;
        this.relay = relay;
    }

    /** Why nobody may stream into or out of the room now ({@code cancelled}, {@code ended}, {@code not_started}). */
    Optional<String> whyClosed(Room room) {
        RoomEntry.Decision decision = entry.decide(room, null, true);
        return switch (decision) {
            case CANCELLED, ENDED, NOT_STARTED -> Optional.of(decision.name().toLowerCase(Locale.ROOT));
            default -> Optional.empty();
        };
    }

    /** Admits a WHIP stream into the room's meeting as a participant named {@code name}. */
    Started publish(Room room, String name, String offer) {
        String displayName = name == null || name.isBlank() || name.length() > MAX_STREAM_NAME
                ? DEFAULT_STREAM_NAME : name.strip();
        String id = newSessionId();
        // A stream leaves the meeting without a DELETE too (its media connection lost, the room closed): the meeting
        // then closes the participant's peer, and the session goes from the table with it.
        SignalingPeer forgetOnEnd = new SignalingPeer() {
            @Override
            public void send(ServerMessage message) {
            }

            @Override
            public void close(ByeReason reason) {
                sessions.remove(id);
            }
        };
        Participant participant = new Participant(MeetingService.newParticipantId(), displayName, null, false,
                Participant.Kind.WHIP, forgetOnEnd, true, true);
        return await(meetings.enterWhip(room, participant, offer).thenApply(session -> {
            // find, not open: a meeting that ended while the relay answered is not started again, empty, here.
            liveRooms.find(room.getId()).ifPresent(live -> {
                sessions.put(id, new StreamSession(id, room.getSlug(), true, live, participant, session.transport()));
                if (live.participant(participant.id()) == null) {
                    sessions.remove(id); // it ended before it was recorded
                }
            });
            return new Started(id, session.answer());
        }));
    }

    /**
     * Starts a WHEP player on the participant named, or, when none is named, on whoever speaks: it starts on the
     * speaker of the moment (else a browser participant, else a stream) and follows the speaker from then on.
     */
    Started play(Room room, String participant, String offer) {
        boolean followSpeaker = participant == null || participant.isBlank();
        String target = target(room, participant);
        if (target == null) {
            throw new StreamingException(StreamingException.Reason.NOBODY_PUBLISHING,
                    "Nobody is publishing in this room.", null);
        }
        String id = newSessionId();
        TransportEvents forgetOnClose = new TransportEvents() {
            @Override
            public void onClosed(String reason) {
                sessions.remove(id);
            }
        };
        return await(meetings.startWhep(room, target, followSpeaker, offer, forgetOnClose).thenApply(session -> {
            sessions.put(id, new StreamSession(id, room.getSlug(), false, null, null, session.transport()));
            return new Started(id, session.answer());
        }));
    }

    /**
     * Whom a player plays: the participant named by id or by display name (any case, when exactly one has it), else
     * the room's speaker as the relay hears it now, else the first browser participant, else a stream. Null when
     * nobody is in the room; an id or name that matches nobody is passed on as it is, for the relay to refuse.
     */
    private String target(Room room, String participant) {
        Optional<LiveRoom> live = liveRooms.find(room.getId());
        if (participant != null && !participant.isBlank()) {
            List<Participant> named = live.map(l -> l.participants().stream()
                    .filter(p -> p.displayName().equalsIgnoreCase(participant.strip())).toList()).orElse(List.of());
            if (named.size() > 1) {
                throw new StreamingException(StreamingException.Reason.AMBIGUOUS,
                        "More than one participant is called that; name them by id.", null);
            }
            return named.isEmpty() ? participant : named.get(0).id();
        }
        return live.flatMap(l -> Optional.ofNullable(l.activeSpeaker()).filter(id -> l.participant(id) != null)
                        .or(() -> l.participants().stream()
                                .min(Comparator.comparing((Participant p) -> p.kind() != Participant.Kind.BROWSER))
                                .map(Participant::id)))
                .orElse(null);
    }

    /** Ends a WHIP session of the room; false if the room has no such WHIP session (a WHEP id is none). */
    boolean stopPublishing(Room room, String sessionId) {
        return stop(room, sessionId, true);
    }

    /** Ends a WHEP session of the room; false if the room has no such WHEP session (a WHIP id is none). */
    boolean stopPlaying(Room room, String sessionId) {
        return stop(room, sessionId, false);
    }

    private boolean stop(Room room, String sessionId, boolean whip) {
        StreamSession session = sessions.get(sessionId);
        if (session == null || !session.slug().equals(room.getSlug()) || session.whip() != whip
                || !sessions.remove(sessionId, session)) {
            return false;
        }
        end(session);
        return true;
    }

    private void end(StreamSession session) {
        if (session.whip()) {
            meetings.leave(session.live(), session.participant(), "left");
        } else {
            relay.closeTransport(session.transport(), "left");
        }
    }

    /**
     * Waits (bounded) for the relay to set the session up. A session that comes up after the wait gave up is ended at
     * once: its client never learnt where it is, so nobody could end it.
     */
    private Started await(CompletableFuture<Started> pending) {
        try {
            return pending.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            pending.thenAccept(this::endLate);
            throw new StreamingException(StreamingException.Reason.NO_ANSWER, "The relay did not answer in time.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.thenAccept(this::endLate);
            throw new StreamingException(StreamingException.Reason.NO_ANSWER, "Interrupted.", e);
        }
    }

    private void endLate(Started started) {
        StreamSession session = sessions.remove(started.sessionId());
        if (session != null) {
            end(session);
        }
    }

    private static StreamingException failure(Throwable cause) {
        if (cause instanceof RelayException refused) {
            StreamingException.Reason reason = "not-found".equals(refused.code())
                    ? StreamingException.Reason.NOT_FOUND : StreamingException.Reason.BAD_OFFER;
            return new StreamingException(reason, refused.getMessage(), refused);
        }
        if (cause instanceof MeetingService.MeetingGoneException) {
            return new StreamingException(StreamingException.Reason.GONE,
                    "The meeting ended, or the stream was taken out of it, while it was being set up.", cause);
        }
        if (cause instanceof MeetingService.RoomFullException) {
            return new StreamingException(StreamingException.Reason.ROOM_FULL, "The room is full.", cause);
        }
        return new StreamingException(StreamingException.Reason.FAILED, "The relay could not set up the session.",
                cause);
    }

    private static String newSessionId() {
        return MeetingService.newParticipantId().substring(2);
    }
}
