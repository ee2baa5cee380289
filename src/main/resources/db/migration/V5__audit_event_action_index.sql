-- The audit page filters by action and lists the newest entries first, often within a date range: one index serves
-- the equality on action and the range and order on occurred_at together.
create index ix_audit_event_action_occurred_at on audit_event (action, occurred_at);
