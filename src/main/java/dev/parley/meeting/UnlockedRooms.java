package dev.parley.meeting;

import dev.parley.rooms.Room;
import jakarta.servlet.http.HttpSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The rooms whose passcode this browser session has given. */
final class UnlockedRooms {

    private static final String ATTRIBUTE = "parley.unlockedRooms";

    private UnlockedRooms() {
    }

    static boolean contains(HttpSession session, Room room) {
        return session != null && session.getAttribute(ATTRIBUTE) instanceof Set<?> set && set.contains(room.getId());
    }

    @SuppressWarnings("unchecked")
    static void add(HttpSession session, Room room) {
        Object existing = session.getAttribute(ATTRIBUTE);
        Set<Long> set = existing instanceof Set<?> ? (Set<Long>) existing : ConcurrentHashMap.newKeySet();
        set.add(room.getId());
        session.setAttribute(ATTRIBUTE, set);
    }
}
