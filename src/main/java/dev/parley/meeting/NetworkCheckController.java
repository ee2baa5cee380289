package dev.parley.meeting;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.ParleyUser;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import dev.parley.turn.TurnServers;
import io.github.bucket4j.Bucket;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pre-join page's network check (docs/signaling.md, "Network check"): ICE probes to the relay, a timed upload for a
 * rough upload bandwidth, and the outcome written to the server's log for the admin. Open to whoever may see the
 * room's pre-join page; limited per browser session.
 */
@RestController
class NetworkCheckController {

    private static final Logger log = LoggerFactory.getLogger(NetworkCheckController.class);
    static final int MAX_OFFER_BYTES = 16 * 1024;
    static final int MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
    static final int MAX_RESULT_BYTES = 1024;
    /** A check is three probes, an upload and a result: two checks at once, then one every 30 s or so. */
    private static final int ALLOWANCE = 10;
    private static final String ALLOWANCE_ATTRIBUTE = NetworkCheckController.class.getName() + ".allowance";

    /** What the page reports; each field checked before it is logged. */
    record Outcome(String udp, String tcp, String turn, Integer rttMs, Integer uploadKbps) {
    }

    private static final List<String> VERDICTS = List.of("ok", "blocked", "not-configured", "failed");

    private final RoomService rooms;
    private final RoomEntry entry;
    private final NetworkProbes probes;
    private final ObjectMapper json;
    private final TurnServers turnServers;

    NetworkCheckController(RoomService rooms, RoomEntry entry, NetworkProbes probes, ObjectMapper json,
                           TurnServers turnServers) {
        this.turnServers = turnServers;
        this.rooms = rooms;
        this.entry = entry;
        this.probes = probes;
        this.json = json;
    }

    @PostMapping("/r/{slug}/network-check/probe")
    ResponseEntity<Map<String, Object>> probe(@PathVariable String slug, @AuthenticationPrincipal ParleyUser viewer,
                                              HttpSession session, HttpServletRequest request) {
        checkAllowed(slug, viewer, session);
        byte[] body = typedBody(request, "application/sdp", MAX_OFFER_BYTES);
        try {
            String answer = probes.open(new String(body, StandardCharsets.UTF_8));
            // The TURN servers with credentials of their own, so the page can try the TURN path too.
            return ResponseEntity.ok(Map.of("answer", answer,
                    "iceServers", turnServers.forPeer("network-check-" + UUID.randomUUID()),
                    "lifetimeSeconds", NetworkProbes.LIFETIME.toSeconds()));
        } catch (NetworkProbes.ProbeException e) {
            return e.busy() ? JsonErrors.of(HttpStatus.SERVICE_UNAVAILABLE, "busy", e.getMessage())
                    : JsonErrors.of(HttpStatus.BAD_REQUEST, "bad-offer", e.getMessage());
        }
    }

    /** Reads and discards the body; the page times it. */
    @PostMapping("/r/{slug}/network-check/upload")
    ResponseEntity<Map<String, Object>> upload(@PathVariable String slug, @AuthenticationPrincipal ParleyUser viewer,
                                               HttpSession session, HttpServletRequest request) {
        checkAllowed(slug, viewer, session);
        long total = 0;
        byte[] chunk = new byte[16 * 1024];
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
                total += n;
                if (total > MAX_UPLOAD_BYTES) {
                    return JsonErrors.of(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Send at most " + MAX_UPLOAD_BYTES
                            + " bytes.");
                }
            }
        } catch (IOException e) {
            return JsonErrors.of(HttpStatus.BAD_REQUEST, "unreadable", "The upload broke off.");
        }
        return ResponseEntity.ok(Map.of("bytes", total));
    }

    @PostMapping("/r/{slug}/network-check/result")
    ResponseEntity<Map<String, Object>> result(@PathVariable String slug, @AuthenticationPrincipal ParleyUser viewer,
                                               HttpSession session, HttpServletRequest request) {
        checkAllowed(slug, viewer, session);
        byte[] body = typedBody(request, "application/json", MAX_RESULT_BYTES);
        Outcome outcome;
        try {
            outcome = json.readValue(body, Outcome.class);
        } catch (IOException e) {
            outcome = null;
        }
        if (outcome == null || !VERDICTS.contains(outcome.udp()) || !VERDICTS.contains(outcome.tcp())
                || !VERDICTS.contains(outcome.turn()) || !within(outcome.rttMs(), 60_000)
                || !within(outcome.uploadKbps(), 10_000_000)) {
            return JsonErrors.of(HttpStatus.BAD_REQUEST, "bad-result", "udp, tcp and turn must each be one of "
                    + VERDICTS + "; rttMs and uploadKbps numbers in range or absent.");
        }
        // The request's log context carries the address and account, so the admin can match it with a complaint.
        log.info("Network check for room {}: udp={} tcp={} turn={} rtt={} upload={}", slug, outcome.udp(),
                outcome.tcp(), outcome.turn(), outcome.rttMs() == null ? "-" : outcome.rttMs() + " ms",
                outcome.uploadKbps() == null ? "-" : outcome.uploadKbps() + " kbit/s");
        return ResponseEntity.noContent().build();
    }

    private static boolean within(Integer value, int max) {
        return value == null || (value >= 0 && value <= max);
    }

    /** What this controller answers instead, thrown by the checks below. */
    private static final class Refused extends RuntimeException {
        private final transient ResponseEntity<Map<String, Object>> response;

        Refused(HttpStatus status, String code, String message) {
            super(message, null, false, false);
            this.response = JsonErrors.of(status, code, message);
        }
    }

    @ExceptionHandler(Refused.class)
    ResponseEntity<Map<String, Object>> refused(Refused refused) {
        return refused.response;
    }

    /** This browser may run the check now: the room lets it in (now or once open), and its allowance is not spent. */
    private void checkAllowed(String slug, ParleyUser viewer, HttpSession session) {
        Room room = rooms.bySlug(slug).orElse(null);
        if (room == null) {
            throw new Refused(HttpStatus.NOT_FOUND, "not-found", "There is no such room.");
        }
        RoomEntry.Decision decision = entry.decide(room, viewer, UnlockedRooms.contains(session, room));
        if (decision != RoomEntry.Decision.ALLOWED && decision != RoomEntry.Decision.NOT_STARTED) {
            throw new Refused(HttpStatus.FORBIDDEN, "forbidden", "This room does not let you in right now.");
        }
        Bucket allowance = allowance(session);
        boolean allowed = allowance.tryConsume(1);
        session.setAttribute(ALLOWANCE_ATTRIBUTE, allowance); // a session kept in Redis saves what is set again
        if (!allowed) {
            throw new Refused(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many checks; wait a minute.");
        }
    }

    /** The body, of the given content type and at most {@code limit} bytes. */
    private static byte[] typedBody(HttpServletRequest request, String contentType, int limit) {
        String given = request.getContentType();
        if (given == null || !given.toLowerCase(Locale.ROOT).startsWith(contentType)) {
            throw new Refused(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content-type", "Send it as " + contentType + ".");
        }
        byte[] body;
        try {
            body = StreamingController.readAtMost(request.getInputStream(), limit);
        } catch (IOException e) {
            throw new Refused(HttpStatus.BAD_REQUEST, "unreadable", "The request body could not be read.");
        }
        if (body == null) {
            throw new Refused(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Send at most " + limit + " bytes.");
        }
        return body;
    }

    /** Two requests racing on a new session may each make a bucket; one is kept, which costs at most a few tokens. */
    private static Bucket allowance(HttpSession session) {
        Bucket bucket = (Bucket) session.getAttribute(ALLOWANCE_ATTRIBUTE);
        if (bucket == null) {
            bucket = Bucket.builder().addLimit(limit -> limit.capacity(ALLOWANCE)
                    .refillGreedy(ALLOWANCE, Duration.ofMinutes(1))).build();
            session.setAttribute(ALLOWANCE_ATTRIBUTE, bucket);
        }
        return bucket;
    }
}
