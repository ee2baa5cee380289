package dev.parley.rooms;

import dev.parley.accounts.ParleyUser;
import org.springframework.security.access.AccessDeniedException;

/**
 * Who may change a room: its host while their role still lets them host, and admins. A host demoted to member keeps
 * their rooms (an admin may hand them on) but no longer manages them: no reopening, no passcode bypass, no lobby.
 */
public final class RoomPolicy {

    private RoomPolicy() {
    }

    public static boolean canManage(ParleyUser user, Room room) {
        return user != null && (user.isAdmin() || (user.role().canHost() && room.isHostedBy(user.id())));
    }

    public static void requireManage(ParleyUser user, Room room) {
        if (!canManage(user, room)) {
            throw new AccessDeniedException("Only the room's host or an admin may change this room");
        }
    }
}
