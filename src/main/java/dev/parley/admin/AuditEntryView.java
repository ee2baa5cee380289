package dev.parley.admin;

import dev.parley.audit.AuditEvent;

/** An audit entry as the audit page shows it: the entry, what happened in words, and its details made readable. */
public record AuditEntryView(AuditEvent event, String what, String details) {
}
