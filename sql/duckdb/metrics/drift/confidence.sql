-- Drift: model confidence value counts per cut group, over one window (docs/metrics/drift.md).
-- The family runs it once per window ($from, $to on created_at). Values are grouped exactly,
-- not binned: the KS test must equal scipy's ks_2samp on the raw values, so rows grow with the
-- distinct confidences of a group (bounded by the precision the model reports), not with cases.
SELECT
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN final_reviewer END       AS g_reviewer,
  confidence                                                                    AS value,
  count(*)                                                                      AS n
FROM case_facts
WHERE confidence IS NOT NULL
  AND ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR final_reviewer = $reviewer)
  AND ($from IS NULL OR created_at >= $from)
  AND ($to IS NULL OR created_at < $to)
GROUP BY ALL
ORDER BY ALL;
