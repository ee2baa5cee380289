package dev.parley.meeting;

import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import org.springframework.stereotype.Component;

/** How the audit log names someone in a meeting: the account's e-mail, or a guest's or stream's name as given. */
@Component
class AuditedNames {

    private final UserAccountRepository users;

    AuditedNames(UserAccountRepository users) {
        this.users = users;
    }

    String of(Participant p) {
        if (p.kind() == Participant.Kind.WHIP) {
            return "stream \"" + p.displayName() + "\"";
        }
        return p.userId() == null ? "guest \"" + p.displayName() + "\""
                : users.findById(p.userId()).map(UserAccount::getEmail).orElse("account " + p.userId());
    }
}
