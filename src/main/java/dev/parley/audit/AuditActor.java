package dev.parley.audit;

/** Who did something, as the audit log names them; the signed-in user's principal is one. */
public interface AuditActor {

    long id();

    String email();
}
