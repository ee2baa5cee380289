package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WHIP ingest (RFC 9725) and WHEP playback for a room, authorised by the room's bearer token. A WHIP stream appears in
 * the meeting as a participant; a WHEP player receives one participant's audio and video.
 *
 * <p>The room, the token, the content type and whether the room is open are checked before a byte of the body is
 * read; the body is then read with a bound ({@link #MAX_SDP_BYTES}), whatever Content-Length says and also when it is
 * chunked, so an unauthenticated or oversized upload never reaches memory.
 */
@RestController
class StreamingController {

    private static final Logger log = LoggerFactory.getLogger(StreamingController.class);
    private static final MediaType SDP = MediaType.parseMediaType("application/sdp");
    /** An SDP offer is a few KiB; even a large simulcast offer stays far below this. */
    static final int MAX_SDP_BYTES = 128 * 1024;

    private final RoomService rooms;
    private final RoomEntry entry;
    private final MeetingService meetings;
    private final LiveRooms liveRooms;
    private final Relay relay;
    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();

    private record StreamSession(String id, String slug, boolean whip, Participant participant, LiveRoom live,
                                 TransportHandle transport) {
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
                                   HttpServletRequest request) {
        Object checked = check(slug, contentType, authorization);
        if (checked instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        Room room = (Room) checked;
        Object offer = readOffer(request);
        if (offer instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        String body = (String) offer;
        String displayName = name.isBlank() || name.length() > 60 ? "Stream" : name.strip();
        Participant participant = new Participant(MeetingService.newParticipantId(), displayName, null, false,
                Participant.Kind.WHIP, SignalingPeer.NONE, true, true);
        String sessionId = MeetingService.newParticipantId().substring(2);
        return establish(meetings.enterWhip(room, participant, body), session -> {
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
                                HttpServletRequest request) {
        Object checked = check(slug, contentType, authorization);
        if (checked instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        Room room = (Room) checked;
        Object offer = readOffer(request);
        if (offer instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        String body = (String) offer;
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
        TransportEvents forgetOnClose = new TransportEvents() {
            @Override
            public void onClosed(String reason) {
                sessions.remove(sessionId);
            }
        };
        return establish(meetings.startWhep(room, target, body, forgetOnClose),
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

    @DeleteMapping("/whip/{slug}/{sessionId}")
    ResponseEntity<String> stopWhip(@PathVariable String slug, @PathVariable String sessionId,
                                    @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return stop(slug, sessionId, authorization, true);
    }

    @DeleteMapping("/whep/{slug}/{sessionId}")
    ResponseEntity<String> stopWhep(@PathVariable String slug, @PathVariable String sessionId,
                                    @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return stop(slug, sessionId, authorization, false);
    }

    /** Ends a session through its own resource only: a WHIP session under /whip/, a WHEP session under /whep/. */
    private ResponseEntity<String> stop(String slug, String sessionId, String authorization, boolean whip) {
        Room room = rooms.bySlug(slug).orElse(null);
        if (room == null) {
            return problem(HttpStatus.NOT_FOUND, "There is no such room.");
        }
        if (!authorised(room, authorization)) {
            return unauthorised();
        }
        StreamSession session = sessions.get(sessionId);
        if (session == null || !session.slug().equals(slug) || session.whip() != whip) {
            return problem(HttpStatus.NOT_FOUND, "There is no such session.");
        }
        if (!sessions.remove(sessionId, session)) {
            return problem(HttpStatus.NOT_FOUND, "There is no such session.");
        }
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

    /**
     * Returns the room, or the refusal to send: 404, 401, 415 or 403, in that order. Reads nothing of the body, so
     * these refusals close the connection rather than leave an unread body on it.
     */
    private Object check(String slug, String contentType, String authorization) {
        Room room = rooms.bySlug(slug).orElse(null);
        if (room == null) {
            return closing(problem(HttpStatus.NOT_FOUND, "There is no such room."));
        }
        if (!authorised(room, authorization)) {
            return closing(unauthorised());
        }
        if (contentType == null || !isSdp(contentType)) {
            return closing(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The offer must be sent as application/sdp."));
        }
        RoomEntry.Decision decision = entry.decide(room, null, true);
        if (decision == RoomEntry.Decision.CANCELLED || decision == RoomEntry.Decision.ENDED
                || decision == RoomEntry.Decision.NOT_STARTED) {
            return closing(problem(HttpStatus.FORBIDDEN,
                    "The room is not open now (" + decision.name().toLowerCase() + ")."));
        }
        return room;
    }

    private static boolean isSdp(String contentType) {
        try {
            return SDP.isCompatibleWith(MediaType.parseMediaType(contentType));
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            return false;
        }
    }

    /**
     * The offer as text, or the refusal: 413 above {@link #MAX_SDP_BYTES} (by Content-Length, or while reading a body
     * of unknown length, which stops one byte past the limit), 400 for an empty or unreadable body.
     */
    private static Object readOffer(HttpServletRequest request) {
        if (request.getContentLengthLong() > MAX_SDP_BYTES) {
            return tooLarge();
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), MAX_SDP_BYTES);
        } catch (IOException e) {
            return closing(problem(HttpStatus.BAD_REQUEST, "The request body could not be read."));
        }
        if (body == null) {
            return tooLarge();
        }
        if (body.length == 0) {
            return problem(HttpStatus.BAD_REQUEST, "The request has no SDP offer.");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Reads the stream to its end, or returns null as soon as it holds more than {@code limit} bytes. */
    static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        byte[] chunk = new byte[8 * 1024];
        int total = 0;
        int n;
        while ((n = in.read(chunk, 0, Math.min(chunk.length, limit + 1 - total))) != -1) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static ResponseEntity<String> tooLarge() {
        return closing(problem(HttpStatus.PAYLOAD_TOO_LARGE,
                "The SDP offer is limited to " + MAX_SDP_BYTES / 1024 + " KiB."));
    }

    /** The body (or its rest) stays unread: tell the client that this connection ends with the response. */
    private static ResponseEntity<String> closing(ResponseEntity<String> response) {
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders()).header(HttpHeaders.CONNECTION, "close").body(response.getBody());
    }

    private static boolean authorised(Room room, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || room.getStreamToken() == null) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, room.getStreamToken().getBytes(StandardCharsets.UTF_8));
    }

    private ResponseEntity<String> failure(Throwable cause) {
        if (cause instanceof RelayException negotiation) {
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
