package dev.parley.meeting;

import dev.parley.accounts.AccountSessionsEnded;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/** An account whose access an admin took away leaves its live meetings once the change is committed. */
@Component
class AccountRevokedListener {

    private final MeetingService meetings;

    AccountRevokedListener(MeetingService meetings) {
        this.meetings = meetings;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onAccountRevoked(AccountSessionsEnded event) {
        meetings.removeUser(event.userId());
    }
}
