package dev.parley.meeting;

import dev.parley.rooms.Room;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows down passcode guessing: a few tries per room and browser session, then a pause. Passcodes are short, so this
 * and the 128-bit room link together are what keep a room private.
 */
@Component
class PasscodeAttempts {

    static final int MAX_TRIES = 5;
    static final Duration PAUSE = Duration.ofMinutes(5);
    private static final String ATTRIBUTE = "parley.passcodeAttempts";

    private final Clock clock;

    PasscodeAttempts(Clock clock) {
        this.clock = clock;
    }

    private record Window(int tries, Instant since) {
    }

    boolean tryAcquire(HttpSession session, Room room) {
        Map<Long, Window> windows = windows(session);
        Instant now = clock.instant();
        Window window = windows.get(room.getId());
        if (window == null || now.isAfter(window.since().plus(PAUSE))) {
            window = new Window(0, now);
        }
        if (window.tries() >= MAX_TRIES) {
            return false;
        }
        windows.put(room.getId(), new Window(window.tries() + 1, window.since()));
        return true;
    }

    void reset(HttpSession session, Room room) {
        windows(session).remove(room.getId());
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Window> windows(HttpSession session) {
        Object existing = session.getAttribute(ATTRIBUTE);
        if (existing instanceof Map<?, ?> map) {
            return (Map<Long, Window>) map;
        }
        Map<Long, Window> created = new ConcurrentHashMap<>();
        session.setAttribute(ATTRIBUTE, created);
        return created;
    }
}
