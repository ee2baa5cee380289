package dev.parley.meeting;

import dev.parley.rooms.Room;
import jakarta.servlet.http.HttpSession;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms whose passcode this browser session has given, each with the passcode (its hash) it was given for: when
 * the host changes or removes the passcode, earlier unlocks no longer count.
 */
final class UnlockedRooms {

    private static final String ATTRIBUTE = "parley.unlockedRooms";

    private UnlockedRooms() {
    }

    static boolean contains(HttpSession session, Room room) {
        return session != null && session.getAttribute(ATTRIBUTE) instanceof Map<?, ?> unlocked
                && room.hasPasscode() && Objects.equals(unlocked.get(room.getId()), room.getPasscodeHash());
    }

    @SuppressWarnings("unchecked")
    static void add(HttpSession session, Room room) {
        Object existing = session.getAttribute(ATTRIBUTE);
        Map<Long, String> unlocked = existing instanceof Map<?, ?> ? (Map<Long, String>) existing : new ConcurrentHashMap<>();
        unlocked.put(room.getId(), room.getPasscodeHash());
        session.setAttribute(ATTRIBUTE, unlocked);
    }
}
