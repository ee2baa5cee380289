package dev.parley.meeting;

import dev.parley.accounts.ParleyUser;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomClock;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomState;
import org.springframework.stereotype.Component;

/**
 * The rules for entering a room, in the order a visitor meets them. The link page and the signalling server both ask
 * here, so the rules cannot drift apart. Before the start (or after the end) nobody enters, hosts included: the host
 * opens the room explicitly, and then everyone may come in.
 */
@Component
public class RoomEntry {

    public enum Decision {
        CANCELLED,
        NOT_STARTED,
        ENDED,
        LOGIN_REQUIRED,
        PASSCODE_REQUIRED,
        ALLOWED
    }

    private final RoomClock roomClock;

    public RoomEntry(RoomClock roomClock) {
        this.roomClock = roomClock;
    }

    /**
     * @param viewer the signed-in user, or null for a guest
     * @param passcodeVerified whether this visitor already gave the room's passcode
     */
    public Decision decide(Room room, ParleyUser viewer, boolean passcodeVerified) {
        boolean manager = RoomPolicy.canManage(viewer, room);
        RoomState state = roomClock.stateOf(room);
        if (state == RoomState.CANCELLED) {
            return Decision.CANCELLED;
        }
        if (state == RoomState.UPCOMING) {
            return Decision.NOT_STARTED;
        }
        if (state == RoomState.ENDED) {
            return Decision.ENDED;
        }
        if (viewer == null && !room.isGuestsAllowed()) {
            return Decision.LOGIN_REQUIRED;
        }
        if (!manager && room.hasPasscode() && !passcodeVerified) {
            return Decision.PASSCODE_REQUIRED;
        }
        return Decision.ALLOWED;
    }
}
