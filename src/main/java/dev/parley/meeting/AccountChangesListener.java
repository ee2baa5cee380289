package dev.parley.meeting;

import dev.parley.accounts.AccountRoleChanged;
import dev.parley.accounts.AccountSessionsEnded;
import dev.parley.accounts.Role;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Live meetings follow the account, once the change is committed: an account whose access an admin took away leaves
 * its meetings; an account demoted below what its host powers needed loses them in the meetings it is in.
 */
@Component
class AccountChangesListener {

    private final MeetingService meetings;
    private final RoomService rooms;

    AccountChangesListener(MeetingService meetings, RoomService rooms) {
        this.meetings = meetings;
        this.rooms = rooms;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onAccountRevoked(AccountSessionsEnded event) {
        meetings.removeUser(event.userId());
    }

    /** The same rule as RoomPolicy.canManage, for the account's new role. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onRoleChanged(AccountRoleChanged event) {
        Role role = event.role();
        meetings.revokeHost(event.userId(), roomId -> {
            if (role == Role.ADMIN) {
                return true;
            }
            Room room = rooms.byIds(List.of(roomId)).get(roomId);
            return room != null && role.canHost() && room.isHostedBy(event.userId());
        });
    }
}
