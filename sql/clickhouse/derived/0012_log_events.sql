-- loopwatch: sort by ts
-- loopwatch: append-only
-- log_events: the twin of sql/duckdb/derived/0012_log_events.sql: the rare event types that
-- metric queries read on their own (line stops and resumes, incidents, escalations), in a
-- small table of their own, so that a query for a few thousand of them does not read the whole
-- log. Appended to as events arrive: {new_events} is the events stored since the last refresh
-- that the table does not hold yet (all events, FINAL, in a full build).
CREATE OR REPLACE TABLE {database}.log_events_delta ENGINE = {derived_engine} AS
SELECT event_id, type, ts, case_id, workflow, actor_id, severity, trigger, to_level
FROM {new_events}
WHERE type IN ('line.stopped', 'line.resumed', 'incident.reported', 'case.escalated');
