package dev.parley.meeting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.cluster.LocalSharedState;
import dev.parley.cluster.SharedState;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Short-lived, single-use, HMAC-signed tickets that carry what the pre-join page established (room, user or guest,
 * name, passcode given) over to the WebSocket, where the HTTP session's passcode state is not available. A ticket
 * issued by one node is good on any node of the deployment, once: the signing key (unless configured) and the spent
 * nonces live in the {@link SharedState}.
 */
@Component
public class JoinTickets {

    static final Duration LIFETIME = Duration.ofMinutes(2);

    /**
     * What a ticket vouches for. userId is null for guests; visitor is the browser session's key
     * ({@link MeetingBans#visitorKey}), null when none was given.
     */
    public record Ticket(String nonce, long roomId, String slug, Long userId, String displayName,
                         boolean passcodeVerified, long expiresAtEpochSecond, String visitor) {
    }

    private final ObjectMapper json;
    private final Clock clock;
    private static final String KEY = "ticket-key";
    private static final String NONCE = "ticket-nonce:";
    /** Sets a vouch's signature apart from a ticket's (a ticket's payload is Base64, which has no colon). */
    private static final String VOUCH = "vouch:";

    private final byte[] key;
    private final SharedState spent;
    private final SecureRandom random = new SecureRandom();

    /** One node's tickets, signed with {@code secret}: for tests. */
    public JoinTickets(ObjectMapper json, Clock clock, String secret) {
        this(json, clock, secret, new LocalSharedState(clock, 100_000));
    }

    @Autowired
    public JoinTickets(ObjectMapper json, Clock clock, @Value("${parley.meeting.ticket-secret:}") String secret,
                       SharedState shared) {
        this.json = json;
        this.clock = clock;
        this.spent = shared;
        if (secret != null && !secret.isBlank()) {
            this.key = secret.getBytes(StandardCharsets.UTF_8);
        } else {
            // The first node to start makes the key; the others take it.
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            shared.putIfAbsent(KEY, Base64.getEncoder().encodeToString(fresh), null);
            this.key = Base64.getDecoder().decode(shared.get(KEY));
        }
    }

    public String issue(long roomId, String slug, Long userId, String displayName, boolean passcodeVerified) {
        return issue(roomId, slug, userId, displayName, passcodeVerified, null);
    }

    public String issue(long roomId, String slug, Long userId, String displayName, boolean passcodeVerified,
                        String visitor) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Ticket ticket = new Ticket(Base64.getUrlEncoder().withoutPadding().encodeToString(nonce), roomId, slug, userId,
                displayName, passcodeVerified, clock.instant().plus(LIFETIME).getEpochSecond(), visitor);
        try {
            String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(ticket));
            return payload + "." + sign(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public enum Problem { INVALID, EXPIRED }

    public record Result(Ticket ticket, Problem problem) {
    }

    /** Checks signature and expiry, and spends the ticket: a second use is refused. */
    public Result redeem(String token) {
        Result read = read(token);
        if (read.ticket() == null) {
            return read;
        }
        Ticket ticket = read.ticket();
        Duration remembered = Duration.ofSeconds(ticket.expiresAtEpochSecond() - clock.instant().getEpochSecond() + 1);
        if (ticket.nonce() == null || ticket.nonce().length() > 64
                || !spent.putIfAbsent(NONCE + ticket.nonce(), "1", remembered)) {
            return new Result(null, Problem.INVALID);
        }
        return new Result(ticket, null);
    }

    /** Checks signature and expiry without spending the ticket (to learn which room it is for). */
    public Result read(String token) {
        if (token == null || token.length() > 2048) {
            return new Result(null, Problem.INVALID);
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return new Result(null, Problem.INVALID);
        }
        String payload = token.substring(0, dot);
        byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return new Result(null, Problem.INVALID);
        }
        Ticket ticket;
        try {
            ticket = json.readValue(Base64.getUrlDecoder().decode(payload), Ticket.class);
        } catch (Exception e) {
            return new Result(null, Problem.INVALID);
        }
        if (ticket.expiresAtEpochSecond() < clock.instant().getEpochSecond()) {
            return new Result(null, Problem.EXPIRED);
        }
        return new Result(ticket, null);
    }

    /**
     * A browser's address as the node that forwards its signalling vouches for it to the meeting's node (signed with
     * the key all nodes share, good for a minute), so that per-address limits count the browser, not the node.
     */
    public String vouch(String address) {
        String payload = address + "~" + clock.instant().getEpochSecond();
        return payload + "~" + sign(VOUCH + payload);
    }

    /** The address a {@link #vouch} names, or null when the header is not one this deployment signed lately. */
    public String vouched(String header) {
        if (header == null || header.length() > 200) {
            return null;
        }
        int last = header.lastIndexOf('~');
        int first = header.indexOf('~');
        if (first <= 0 || last <= first) {
            return null;
        }
        String payload = header.substring(0, last);
        if (!MessageDigest.isEqual(sign(VOUCH + payload).getBytes(StandardCharsets.US_ASCII),
                header.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        try {
            long at = Long.parseLong(header.substring(first + 1, last));
            return Math.abs(clock.instant().getEpochSecond() - at) <= 60 ? header.substring(0, first) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
