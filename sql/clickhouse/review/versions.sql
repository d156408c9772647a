-- Model and policy versions per workflow with their first and last sighting over the whole log:
-- the twin of sql/duckdb/review/versions.sql.
SELECT workflow, kind, version, min(ts) AS first_seen, max(ts) AS last_seen, count() AS events
FROM (
  SELECT workflow, 'model_version' AS kind, assumeNotNull(model_version) AS version, ts
  FROM {database}.events FINAL WHERE type = 'case.created' AND model_version IS NOT NULL
  UNION ALL
  SELECT workflow, 'policy_version' AS kind, assumeNotNull(policy_version) AS version, ts
  FROM {database}.events FINAL WHERE policy_version IS NOT NULL
)
WHERE {workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)}
GROUP BY workflow, kind, version
ORDER BY kind, workflow, first_seen, version;
