-- loopwatch: append-only
-- log_events: the rare event types that metric queries read on their own (line stops and
-- resumes, incidents, escalations), in a small table of their own, so that a query for a few
-- thousand of them does not read its columns across the whole log. Appended to as events
-- arrive (events are never updated), in DuckDB from `new_events`.
CREATE OR REPLACE TEMP TABLE log_events_delta AS
SELECT event_id, type, ts, case_id, workflow, actor_id, severity, "trigger", to_level
FROM new_events
WHERE type IN ('line.stopped', 'line.resumed', 'incident.reported', 'case.escalated');
