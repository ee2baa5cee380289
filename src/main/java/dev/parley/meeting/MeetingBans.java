package dev.parley.meeting;

import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Who a host removed from a room's meeting and did not let back in: their account (if they had one) and the browser
 * session they joined from, for {@link #LENGTH} after the ban. Tickets and joins for a banned person are refused.
 * Kept in memory only: a restart forgets bans, and a guest who clears their cookies is a new visitor (a ban by
 * address would shut out everyone behind the same NAT).
 */
@Component
public class MeetingBans {

    /** How long a ban lasts: longer than any meeting of one day, and over by the next one. */
    static final Duration LENGTH = Duration.ofHours(12);
    /** More bans than any room sees; beyond this the oldest go first. */
    static final int MAX_PER_ROOM = 1000;
    private static final String VISITOR_ATTRIBUTE = "parley.visitor";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<Long, Map<String, Instant>> byRoom = new ConcurrentHashMap<>();

    public MeetingBans(Clock clock) {
        this.clock = clock;
    }

    /** The browser session's own random key, made the first time it asks for a ticket. */
    static String visitorKey(HttpSession session) {
        Object key = session.getAttribute(VISITOR_ATTRIBUTE);
        if (key instanceof String existing) {
            return existing;
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String created = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(VISITOR_ATTRIBUTE, created);
        return created;
    }

    /** Keeps the participant's account and browser session out of the room's meeting. */
    void ban(long roomId, Participant participant) {
        Instant until = clock.instant().plus(LENGTH);
        Map<String, Instant> bans = byRoom.computeIfAbsent(roomId, id -> new ConcurrentHashMap<>());
        synchronized (bans) {
            prune(bans);
            if (participant.userId() != null) {
                bans.put("user:" + participant.userId(), until);
            }
            if (participant.visitorKey() != null) {
                bans.put("visitor:" + participant.visitorKey(), until);
            }
            while (bans.size() > MAX_PER_ROOM) {
                bans.entrySet().stream().min(Map.Entry.comparingByValue())
                        .ifPresent(oldest -> bans.remove(oldest.getKey()));
            }
        }
    }

    /** Whether someone with this account (null: a guest) or browser session (null: unknown) is banned. */
    public boolean isBanned(long roomId, Long userId, String visitorKey) {
        Map<String, Instant> bans = byRoom.get(roomId);
        if (bans == null) {
            return false;
        }
        Instant now = clock.instant();
        return (userId != null && now.isBefore(bans.getOrDefault("user:" + userId, Instant.MIN)))
                || (visitorKey != null && now.isBefore(bans.getOrDefault("visitor:" + visitorKey, Instant.MIN)));
    }

    private void prune(Map<String, Instant> bans) {
        Instant now = clock.instant();
        bans.values().removeIf(until -> !now.isBefore(until));
    }
}
