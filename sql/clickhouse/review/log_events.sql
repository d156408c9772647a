-- The rare caseless events of a period: the twin of sql/duckdb/review/log_events.sql.
SELECT event_id, type, ts, workflow, case_id, actor_id, actor_role, trigger, severity, attrs
FROM {database}.events FINAL
WHERE type IN ('line.stopped', 'line.resumed', 'incident.reported', 'sampling.changed')
  AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)} OR (workflow IS NULL AND type = 'incident.reported'))
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts < {to:Nullable(DateTime64(3, 'UTC'))})
ORDER BY ts, event_id;
