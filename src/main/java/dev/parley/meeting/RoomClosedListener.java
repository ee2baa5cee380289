package dev.parley.meeting;

import dev.parley.rooms.RoomClosedEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/** A cancelled or deleted room ends its meeting once the change is committed. */
@Component
class RoomClosedListener {

    private final MeetingService meetings;

    RoomClosedListener(MeetingService meetings) {
        this.meetings = meetings;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onRoomClosed(RoomClosedEvent event) {
        meetings.closeRoom(event.roomId());
    }
}
