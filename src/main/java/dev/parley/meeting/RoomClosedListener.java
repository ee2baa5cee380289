package dev.parley.meeting;

import dev.parley.rooms.RoomClosedEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A cancelled or deleted room ends its meeting once the change is committed, on whichever node carries it: every node
 * is told (a node that has none of it does nothing), so a meeting placed a moment ago or moved by a drain ends too.
 */
@Component
class RoomClosedListener {

    static final String CLOSE = "room.close";

    record CloseCall(long roomId) {
    }

    private final RemoteMeetings remote;

    RoomClosedListener(MeetingService meetings, RemoteMeetings remote) {
        this.remote = remote;
        remote.answer(CLOSE, CloseCall.class, call -> { // idempotent: a second close finds nobody
            meetings.closeRoom(call.roomId());
            return true;
        });
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onRoomClosed(RoomClosedEvent event) {
        remote.broadcast(CLOSE, new CloseCall(event.roomId()));
    }
}
