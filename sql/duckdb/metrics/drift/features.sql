-- Drift: `features` value counts per cut group and feature key, over one window
-- (docs/metrics/drift.md), from the derived case_features (each case's features object,
-- parsed once). Values are exact, as for confidence, so rows grow with the distinct values of
-- each key.
SELECT
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN final_reviewer END       AS g_reviewer,
  feature, kind, num_value, cat_value, count(*) AS n
FROM case_features
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR final_reviewer = $reviewer)
  AND ($from IS NULL OR created_at >= $from)
  AND ($to IS NULL OR created_at < $to)
GROUP BY ALL
ORDER BY ALL;
