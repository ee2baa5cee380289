package dev.parley.admin;

import dev.parley.audit.AuditAction;
import java.time.Instant;

/**
 * What the audit page asks for; a null or blank part does not filter.
 *
 * @param text   part of the actor or the target, any case
 * @param person part of the actor's e-mail address (or a guest's name) or of the actor's account's display name
 * @param from   the earliest moment, included
 * @param until  the moment the range ends, excluded
 */
public record AuditQuery(AuditAction action, String text, String person, Instant from, Instant until) {

    public static final AuditQuery EVERYTHING = new AuditQuery(null, null, null, null, null);
}
