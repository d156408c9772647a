-- The latest sampling.changed of each workflow (docs/sampling.md). Twin of
-- sql/duckdb/sampling/latest_changes.sql.
SELECT assumeNotNull(workflow) AS workflow, event_id, ts, actor_id, actor_role, attrs
FROM {database}.events FINAL
WHERE type = 'sampling.changed' AND workflow IS NOT NULL
  AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts < {to:Nullable(DateTime64(3, 'UTC'))})
ORDER BY workflow, ts DESC, event_id DESC
LIMIT 1 BY workflow;
