-- Drift: when each model version of a workflow was first seen (its first case's created_at,
-- before $to), so that a version is compared with its predecessor until it has a full
-- reference window of its own (docs/metrics/drift.md#model-upgrades). Per workflow, whatever
-- the cut's other dimensions and filters: a version's age is its workflow's rollout. So the
-- filters are written out here, not taken from cut.filters: the workflow and `to` only.
SELECT workflow, model_version, min(created_at) AS first_seen
FROM {database}.case_facts
WHERE model_version IS NOT NULL
  AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
