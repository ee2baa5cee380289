package dev.parley.meeting;

import dev.parley.cluster.RoomPlacement;
import dev.parley.meeting.StreamingService.Started;
import dev.parley.meeting.StreamingService.StreamingException;
import dev.parley.rooms.Room;
import dev.parley.turn.IceServer;
import dev.parley.turn.TurnServers;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP side of WHIP ingest (RFC 9725) and WHEP playback: {@link StreamingService} starts and stops the sessions.
 *
 * <p>By the time a handler runs, {@link StreamTokenFilter} has found the room the path names and checked its bearer
 * token (404 and 401 come from there). The handlers then check the content type (415) and whether the room is open
 * (403) before a byte of the body is read; the body is then read with a bound ({@link #MAX_SDP_BYTES}), whatever
 * Content-Length says and also when it is chunked, so an oversized upload never reaches memory.
 */
@RestController
class StreamingController {

    private static final Logger log = LoggerFactory.getLogger(StreamingController.class);
    private static final MediaType SDP = MediaType.parseMediaType("application/sdp");
    /** An SDP offer is a few KiB; even a large simulcast offer stays far below this. */
    static final int MAX_SDP_BYTES = 128 * 1024;
    /** WHEP's {@code participant}: an id (18 characters) or a display name (at most 100); longer names nobody. */
    static final int MAX_PARTICIPANT_CHARS = 200;

    private final StreamingService streams;
    private final TurnServers turnServers;
    private final RoomPlacement placement;

    StreamingController(StreamingService streams, TurnServers turnServers, RoomPlacement placement) {
        this.streams = streams;
        this.turnServers = turnServers;
        this.placement = placement;
    }

    /**
     * With several nodes, a room's streams run where its meeting runs: a request that reached another node is sent
     * there with 307 (which keeps the method and the body, RFC 9725 section 4.5), so that the session's resource URL,
     * resolved against where the offer was answered, names that node too. A new session places the meeting when it
     * runs nowhere yet; a request for a session follows the placement as it is.
     */
    private void sendToRoomNode(Room room, boolean place, HttpServletRequest request) {
        RoomPlacement.Placement where = place ? placement.place(room.getId())
                : placement.find(room.getId()).orElse(null);
        if (where == null || where.local()) {
            return;
        }
        String query = request.getQueryString();
        URI location = URI.create(where.url() + request.getRequestURI()
                + (query == null ? "" : "?" + query));
        throw refused(ResponseEntity.status(HttpStatus.TEMPORARY_REDIRECT).location(location).build());
    }

    /** A refusal decided before the relay was asked; the response is ready to send. */
    private static final class Refused extends RuntimeException {
        private final transient ResponseEntity<String> response;

        Refused(ResponseEntity<String> response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    @RequestMapping(path = {"/whip/{slug}", "/whep/{slug}"}, method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options() {
        return ResponseEntity.noContent().header("Accept-Post", "application/sdp").header(HttpHeaders.ALLOW, "OPTIONS, POST")
                .build();
    }

    @PostMapping("/whip/{slug}")
    ResponseEntity<String> publish(StreamTokenAuthentication access,
                                   @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                   @RequestParam(defaultValue = "Stream") String name,
                                   HttpServletRequest request) {
        Room room = access.room();
        sendToRoomNode(room, true, request);
        String offer = readOffer(room, contentType, request);
        Started started = streams.publish(room, name, offer);
        return created("/whip/" + room.getSlug() + "/" + started.sessionId(), started);
    }

    @PostMapping("/whep/{slug}")
    ResponseEntity<String> play(StreamTokenAuthentication access,
                                @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                @RequestParam(required = false) String participant,
                                HttpServletRequest request) {
        if (participant != null && participant.length() > MAX_PARTICIPANT_CHARS) {
            throw refused(closing(problem(HttpStatus.BAD_REQUEST, "The participant to play is named by id or display"
                    + " name, in at most " + MAX_PARTICIPANT_CHARS + " characters.")));
        }
        Room room = access.room();
        sendToRoomNode(room, true, request);
        String offer = readOffer(room, contentType, request);
        Started started = streams.play(room, participant, offer);
        return created("/whep/" + room.getSlug() + "/" + started.sessionId(), started);
    }

    /** Ends a session through its own resource only: a WHIP session under /whip/, a WHEP session under /whep/. */
    @DeleteMapping("/whip/{slug}/{sessionId}")
    ResponseEntity<String> stopWhip(StreamTokenAuthentication access, @PathVariable String sessionId,
                                    HttpServletRequest request) {
        sendToRoomNode(access.room(), false, request);
        return streams.stopPublishing(access.room(), sessionId) ? ResponseEntity.ok().build() : noSuchSession();
    }

    @DeleteMapping("/whep/{slug}/{sessionId}")
    ResponseEntity<String> stopWhep(StreamTokenAuthentication access, @PathVariable String sessionId,
                                    HttpServletRequest request) {
        sendToRoomNode(access.room(), false, request);
        return streams.stopPlaying(access.room(), sessionId) ? ResponseEntity.ok().build() : noSuchSession();
    }

    @PatchMapping({"/whip/{slug}/{sessionId}", "/whep/{slug}/{sessionId}"})
    ResponseEntity<String> trickle() {
        // The relay is ICE-lite and its answer carries all its candidates; it takes no trickled candidates.
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "DELETE")
                .contentType(MediaType.TEXT_PLAIN).body("Trickle ICE and ICE restarts are not supported.\n");
    }

    /**
     * The offer as text, after the checks that need no body: 415 for another content type, 403 while the room is not
     * open (these close the connection rather than leave an unread body on it). Then 413 above {@link #MAX_SDP_BYTES}
     * (by Content-Length, or while reading a body of unknown length, which stops one byte past the limit), 400 for an
     * empty or unreadable body.
     */
    private String readOffer(Room room, String contentType, HttpServletRequest request) {
        if (contentType == null || !isSdp(contentType)) {
            throw refused(closing(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The offer must be sent as application/sdp.")));
        }
        streams.whyClosed(room).ifPresent(reason -> {
            throw refused(closing(problem(HttpStatus.FORBIDDEN, "The room is not open now (" + reason + ").")));
        });
        if (request.getContentLengthLong() > MAX_SDP_BYTES) {
            throw refused(tooLarge());
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), MAX_SDP_BYTES);
        } catch (IOException e) {
            throw refused(closing(problem(HttpStatus.BAD_REQUEST, "The request body could not be read.")));
        }
        if (body == null) {
            throw refused(tooLarge());
        }
        if (body.length == 0) {
            throw refused(problem(HttpStatus.BAD_REQUEST, "The request has no SDP offer."));
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static boolean isSdp(String contentType) {
        try {
            return SDP.isCompatibleWith(MediaType.parseMediaType(contentType));
        } catch (InvalidMimeTypeException e) {
            return false;
        }
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

    @ExceptionHandler(Refused.class)
    ResponseEntity<String> refusal(Refused refused) {
        return refused.response;
    }

    /** What the service could not do, as the status codes WHIP and WHEP clients expect. */
    @ExceptionHandler(StreamingException.class)
    ResponseEntity<String> failure(StreamingException failure) {
        return switch (failure.reason()) {
            case NOBODY_PUBLISHING, NOT_FOUND -> problem(HttpStatus.NOT_FOUND, failure.getMessage());
            case AMBIGUOUS, GONE -> problem(HttpStatus.CONFLICT, failure.getMessage());
            case BAD_OFFER -> problem(HttpStatus.BAD_REQUEST, failure.getMessage());
            case ROOM_FULL -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                    .contentType(MediaType.TEXT_PLAIN).body(failure.getMessage() + "\n");
            case NO_ANSWER -> problem(HttpStatus.SERVICE_UNAVAILABLE, failure.getMessage());
            case FAILED -> {
                log.warn("WHIP/WHEP request failed", failure.getCause());
                yield problem(HttpStatus.INTERNAL_SERVER_ERROR, failure.getMessage());
            }
        };
    }

    private static Refused refused(ResponseEntity<String> response) {
        return new Refused(response);
    }

    private static ResponseEntity<String> tooLarge() {
        return closing(problem(HttpStatus.PAYLOAD_TOO_LARGE,
                "The SDP offer is limited to " + MAX_SDP_BYTES / 1024 + " KiB."));
    }

    private static ResponseEntity<String> noSuchSession() {
        return problem(HttpStatus.NOT_FOUND, "There is no such session.");
    }

    /** The body (or its rest) stays unread: tell the client that this connection ends with the response. */
    private static ResponseEntity<String> closing(ResponseEntity<String> response) {
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders()).header(HttpHeaders.CONNECTION, "close").body(response.getBody());
    }

    /**
     * 201 with the answer, its resource, and the TURN servers as {@code Link: <url>; rel="ice-server"} headers with a
     * credential of the session's own (RFC 9725, section 4.6), for clients that add them to their connection.
     */
    private ResponseEntity<String> created(String location, Started started) {
        ResponseEntity.BodyBuilder response = ResponseEntity.created(URI.create(location)).contentType(SDP);
        for (IceServer server : turnServers.forPeer(started.sessionId())) {
            for (String url : server.urls()) {
                response.header(HttpHeaders.LINK, "<" + url + ">; rel=\"ice-server\"; username=\"" + server.username()
                        + "\"; credential=\"" + server.credential() + "\"; credential-type=\"password\"");
            }
        }
        return response.body(started.answer());
    }

    private static ResponseEntity<String> problem(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
    }
}
