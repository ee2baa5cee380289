package dev.parley.rooms;

import dev.parley.accounts.ParleyUser;
import org.springframework.security.access.AccessDeniedException;

/** Who may change a room: its host, and admins. */
public final class RoomPolicy {

    private RoomPolicy() {
    }

    public static boolean canManage(ParleyUser user, Room room) {
        return user != null && (user.isAdmin() || room.isHostedBy(user.id()));
    }

    public static void requireManage(ParleyUser user, Room room) {
        if (!canManage(user, room)) {
            throw new AccessDeniedException("Only the room's host or an admin may change this room");
        }
    }
}
