package dev.parley.meeting;

import dev.parley.common.AttemptLimiter;
import dev.parley.common.AttemptLimits;
import dev.parley.rooms.Room;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Slows down passcode guessing, counted by client address (not by browser session, which a guesser simply drops):
 * a few wrong tries per room and address, then a pause that doubles each time; more per address across all rooms; and
 * a cap per room from every address together. Passcodes are short, so this and the 128-bit room link together are
 * what keep a room private.
 */
@Component
class PasscodeAttempts {

    private static final int CAPACITY = 100_000;

    private final AttemptLimiter byRoomAndAddress;
    private final AttemptLimiter byAddress;
    private final AttemptLimiter byRoom;
    private final Clock clock;

    PasscodeAttempts(PasscodeProperties limits, Clock clock, AttemptLimits limiters) {
        this.byRoomAndAddress = limiters.limiter("passcode-room-address", limits.maxTriesPerRoomAndAddress(),
                Duration.ofMinutes(15), Duration.ofMinutes(1), true, CAPACITY);
        this.byAddress = limiters.limiter("passcode-address", limits.maxTriesPerAddress(), Duration.ofMinutes(15),
                Duration.ofMinutes(15), true, CAPACITY);
        this.byRoom = limiters.limiter("passcode-room", limits.maxTriesPerRoom(), Duration.ofHours(1),
                Duration.ofMinutes(15), true, CAPACITY);
        this.clock = clock;
    }

    /** Whether this address may try a passcode for the room now (checked before the passcode is). */
    boolean allowed(Room room, String address) {
        var now = clock.instant();
        return byRoomAndAddress.blockedUntil(pair(room, address), now).isEmpty()
                && byAddress.blockedUntil(address, now).isEmpty()
                && byRoom.blockedUntil(room(room), now).isEmpty();
    }

    void failed(Room room, String address) {
        var now = clock.instant();
        byRoomAndAddress.recordFailure(pair(room, address), now);
        byAddress.recordFailure(address, now);
        byRoom.recordFailure(room(room), now);
    }

    void succeeded(Room room, String address) {
        byRoomAndAddress.reset(pair(room, address));
    }

    private static String room(Room room) {
        return Long.toString(room.getId());
    }

    private static String pair(Room room, String address) {
        return room.getId() + "\n" + address;
    }
}
