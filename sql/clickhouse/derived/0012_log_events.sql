-- log_events: the twin of sql/duckdb/derived/0012_log_events.sql: the rare event types that
-- metric queries read on their own (line stops and resumes, incidents, escalations), in a
-- small table of their own, so that a query for a few thousand of them does not read the whole
-- log. DuckDB appends to it (its file is marked append-only); here it is rebuilt in full like
-- every other derived table, from events FINAL.
CREATE OR REPLACE TABLE {database}.log_events ENGINE = MergeTree ORDER BY tuple() AS
SELECT event_id, type, ts, case_id, workflow, actor_id, severity, trigger, to_level
FROM {database}.events FINAL
WHERE type IN ('line.stopped', 'line.resumed', 'incident.reported', 'case.escalated');
