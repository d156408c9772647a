-- Model and policy versions per workflow with their first and last sighting over the whole log
-- (docs/review.md#versions): the report lists those first seen within its period. Model
-- versions from case.created, policy versions from any event that names one (triage, decisions,
-- audits carry it). Only the workflow filter applies: "introduced" needs all of the past.
SELECT workflow, kind, version, min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS events
FROM (
  SELECT workflow, 'model_version' AS kind, model_version AS version, ts
  FROM events WHERE type = 'case.created' AND model_version IS NOT NULL
  UNION ALL
  SELECT workflow, 'policy_version', policy_version, ts
  FROM events WHERE policy_version IS NOT NULL
)
WHERE $workflow IS NULL OR workflow = $workflow
GROUP BY workflow, kind, version
ORDER BY kind, workflow, first_seen, version;
