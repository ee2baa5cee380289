package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.transport.NegotiationException;
import dev.parley.relay.transport.TransportListener;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WHIP ingest (RFC 9725) and WHEP playback for a room, authorised by the room's bearer token. A WHIP stream appears in
 * the meeting as a participant; a WHEP player receives one participant's audio and video.
 */
@RestController
class StreamingController {

    private static final Logger log = LoggerFactory.getLogger(StreamingController.class);
    private static final MediaType SDP = MediaType.parseMediaType("application/sdp");

    private final RoomService rooms;
    private final RoomEntry entry;
    private final MeetingService meetings;
    private final LiveRooms liveRooms;
    private final Relay relay;
    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();

    private record StreamSession(String id, String slug, boolean whip, Participant participant, LiveRoom live,
                                 dev.parley.relay.transport.WebRtcTransport transport) {
    }

    StreamingController(RoomService rooms, RoomEntry entry, MeetingService meetings, LiveRooms liveRooms, Relay relay) {
        this.rooms = rooms;
        this.entry = entry;
        this.meetings = meetings;
        this.liveRooms = liveRooms;
        this.relay = relay;
    }

    @RequestMapping(path = {"/whip/{slug}", "/whep/{slug}"}, method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options() {
        return ResponseEntity.noContent().header("Accept-Post", "application/sdp").header(HttpHeaders.ALLOW, "OPTIONS, POST")
                .build();
    }

    @PostMapping("/whip/{slug}")
    ResponseEntity<String> publish(@PathVariable String slug,
                                   @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                   @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                   @RequestParam(defaultValue = "Stream") String name,
                                   @RequestBody(required = false) byte[] body) {
        Object checked = check(slug, contentType, authorization, body);
        if (checked instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        Room room = (Room) checked;
        String displayName = name.isBlank() || name.length() > 60 ? "Stream" : name.strip();
        Participant participant = new Participant(MeetingService.newParticipantId(), displayName, null, false,
                Participant.Kind.WHIP, SignalingPeer.NONE, true, true);
        String sessionId = MeetingService.newParticipantId().substring(2);
        return establish(meetings.enterWhip(room, participant, new String(body, StandardCharsets.UTF_8)), session -> {
            LiveRoom live = liveRooms.open(room.getId(), room.getSlug());
            sessions.put(sessionId, new StreamSession(sessionId, slug, true, participant, live, session.transport()));
            return created("/whip/" + slug + "/" + sessionId, session.answer());
        });
    }

    @PostMapping("/whep/{slug}")
    ResponseEntity<String> play(@PathVariable String slug,
                                @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                @RequestParam(required = false) String participant,
                                @RequestBody(required = false) byte[] body) {
        Object checked = check(slug, contentType, authorization, body);
        if (checked instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        Room room = (Room) checked;
        String target = participant;
        if (target == null || target.isBlank()) {
            target = liveRooms.find(room.getId()).flatMap(live -> live.participants().stream()
                    .sorted((a, b) -> Boolean.compare(b.kind() == Participant.Kind.WHIP, a.kind() == Participant.Kind.WHIP))
                    .map(Participant::id).findFirst()).orElse(null);
            if (target == null) {
                return problem(HttpStatus.NOT_FOUND, "Nobody is publishing in this room.");
            }
        }
        String sessionId = MeetingService.newParticipantId().substring(2);
        TransportListener forgetOnClose = new TransportListener() {
            @Override
            public void onClosed(String reason) {
                sessions.remove(sessionId);
            }
        };
        return establish(meetings.startWhep(room, target, new String(body, StandardCharsets.UTF_8), forgetOnClose),
                session -> {
                    sessions.put(sessionId, new StreamSession(sessionId, slug, false, null, null, session.transport()));
                    return created("/whep/" + slug + "/" + sessionId, session.answer());
                });
    }

    /** Waits (bounded) for the relay to set the session up and turns its failures into the right status codes. */
    private ResponseEntity<String> establish(java.util.concurrent.CompletableFuture<Relay.Session> pending,
                                             java.util.function.Function<Relay.Session, ResponseEntity<String>> done) {
        try {
            return done.apply(pending.get(10, TimeUnit.SECONDS));
        } catch (ExecutionException | CompletionException e) {
            return failure(e.getCause());
        } catch (TimeoutException e) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "The relay did not answer in time.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted.");
        }
    }

    @DeleteMapping({"/whip/{slug}/{sessionId}", "/whep/{slug}/{sessionId}"})
    ResponseEntity<String> stop(@PathVariable String slug, @PathVariable String sessionId,
                                @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Room room = rooms.bySlug(slug).orElse(null);
        if (room == null) {
            return problem(HttpStatus.NOT_FOUND, "There is no such room.");
        }
        if (!authorised(room, authorization)) {
            return unauthorised();
        }
        StreamSession session = sessions.get(sessionId);
        if (session == null || !session.slug().equals(slug)) {
            return problem(HttpStatus.NOT_FOUND, "There is no such session.");
        }
        sessions.remove(sessionId);
        if (session.whip()) {
            meetings.leave(session.live(), session.participant(), "left");
        } else {
            relay.closeTransport(session.transport(), "left");
        }
        return ResponseEntity.ok().build();
    }

    @PatchMapping({"/whip/{slug}/{sessionId}", "/whep/{slug}/{sessionId}"})
    ResponseEntity<String> trickle() {
        // The relay is ICE-lite and its answer carries all its candidates; it takes no trickled candidates.
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "DELETE")
                .contentType(MediaType.TEXT_PLAIN).body("Trickle ICE and ICE restarts are not supported.\n");
    }

    /** Returns the room, or the refusal to send: 404, 401, 415, 400 or 403, in that order. */
    private Object check(String slug, String contentType, String authorization, byte[] body) {
        Room room = rooms.bySlug(slug).orElse(null);
        if (room == null) {
            return problem(HttpStatus.NOT_FOUND, "There is no such room.");
        }
        if (!authorised(room, authorization)) {
            return unauthorised();
        }
        if (contentType == null || !SDP.isCompatibleWith(MediaType.parseMediaType(contentType))) {
            return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The offer must be sent as application/sdp.");
        }
        if (body == null || body.length == 0) {
            return problem(HttpStatus.BAD_REQUEST, "The request has no SDP offer.");
        }
        RoomEntry.Decision decision = entry.decide(room, null, true);
        if (decision == RoomEntry.Decision.CANCELLED || decision == RoomEntry.Decision.ENDED
                || decision == RoomEntry.Decision.NOT_STARTED) {
            return problem(HttpStatus.FORBIDDEN, "The room is not open now (" + decision.name().toLowerCase() + ").");
        }
        return room;
    }

    private static boolean authorised(Room room, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || room.getStreamToken() == null) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, room.getStreamToken().getBytes(StandardCharsets.UTF_8));
    }

    private ResponseEntity<String> failure(Throwable cause) {
        if (cause instanceof NegotiationException negotiation) {
            HttpStatus status = "not-found".equals(negotiation.code()) ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
            return problem(status, negotiation.getMessage());
        }
        if (cause instanceof MeetingService.RoomFullException) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                    .contentType(MediaType.TEXT_PLAIN).body("The room is full.\n");
        }
        log.warn("WHIP/WHEP request failed", cause);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The relay could not set up the session.");
    }

    private static ResponseEntity<String> created(String location, String answer) {
        return ResponseEntity.created(URI.create(location)).contentType(SDP).body(answer);
    }

    private static ResponseEntity<String> unauthorised() {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"parley\"")
                .contentType(MediaType.TEXT_PLAIN).body("A valid bearer token for this room is required.\n");
    }

    private static ResponseEntity<String> problem(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
    }

    @SuppressWarnings("unchecked")
    private static ResponseEntity<String> cast(ResponseEntity<?> response) {
        return (ResponseEntity<String>) response;
    }
}
