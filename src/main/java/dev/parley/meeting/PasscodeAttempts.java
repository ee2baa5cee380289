package dev.parley.meeting;

import dev.parley.common.AttemptLimiter;
import dev.parley.common.AttemptLimits;
import dev.parley.rooms.Room;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
    /** Addresses share these locks by their hash: a bounded number, whatever the number of addresses. */
    private static final int TURNS = 256;
    /** Checks of one address (or of addresses sharing its lock) that wait for their turn at most. */
    private static final int MAX_WAITING_PER_TURN = 8;
    private static final Duration TURN_WAIT = Duration.ofSeconds(5);

    private final AttemptLimiter byRoomAndAddress;
    private final AttemptLimiter byAddress;
    private final AttemptLimiter byRoom;
    private final Clock clock;
    private final ReentrantLock[] turns = new ReentrantLock[TURNS];

    PasscodeAttempts(PasscodeProperties limits, Clock clock, AttemptLimits limiters) {
        this.byRoomAndAddress = limiters.limiter("passcode-room-address", limits.maxTriesPerRoomAndAddress(),
                Duration.ofMinutes(15), Duration.ofMinutes(1), true, CAPACITY);
        this.byAddress = limiters.limiter("passcode-address", limits.maxTriesPerAddress(), Duration.ofMinutes(15),
                Duration.ofMinutes(15), true, CAPACITY);
        this.byRoom = limiters.limiter("passcode-room", limits.maxTriesPerRoom(), Duration.ofHours(1),
                Duration.ofMinutes(15), true, CAPACITY);
        this.clock = clock;
        for (int i = 0; i < TURNS; i++) {
            turns[i] = new ReentrantLock(true);
        }
    }

    /**
     * Runs the check if this address may try a passcode for the room now, in the address's turn: one check at a time
     * per address, so that each failure is counted before the next check asks. (Guesses sent at once all asked
     * before the first was counted: 16 at once got 11 tries where 5 were allowed.) Nothing runs when the address may
     * not try now ({@link Turn#TOO_MANY}), or its turn does not come soon, the checks before it waiting for a password
     * hash's turn themselves ({@link Turn#BUSY}).
     */
    Turn inTurn(Room room, String address, Runnable check) {
        ReentrantLock turn = turns[Math.floorMod(address.hashCode(), turns.length)];
        if (turn.getQueueLength() >= MAX_WAITING_PER_TURN) {
            return Turn.BUSY;
        }
        try {
            if (!turn.tryLock(TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Turn.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Turn.BUSY;
        }
        try {
            if (!allowed(room, address)) {
                return Turn.TOO_MANY;
            }
            check.run();
            return Turn.TAKEN;
        } finally {
            turn.unlock();
        }
    }

    /** What came of asking for a turn. */
    enum Turn { TAKEN, TOO_MANY, BUSY }

    /** Whether this address may try a passcode for the room now (checked before the passcode is). */
    private boolean allowed(Room room, String address) {
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
