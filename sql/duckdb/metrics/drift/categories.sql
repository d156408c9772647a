-- Drift: the model's label mix and the triage lane mix per cut group, over one window
-- (docs/metrics/drift.md): one row per (group, kind, category) with its case count. A case
-- without a model_label (or not yet triaged) is left out of that mix, not counted as a category:
-- the newest cases of the current window are often untriaged, and that is not drift.
WITH cut AS (
  SELECT
    CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
    CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
    CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
    CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
    CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
    CASE WHEN list_contains($group_by, 'reviewer') THEN final_reviewer END       AS g_reviewer,
    model_label, lane
  FROM case_facts
  WHERE ($workflow IS NULL OR workflow = $workflow)
    AND ($tier IS NULL OR tier = $tier)
    AND ($lane IS NULL OR lane = $lane)
    AND ($model_version IS NULL OR model_version = $model_version)
    AND ($policy_version IS NULL OR policy_version = $policy_version)
    AND ($reviewer IS NULL OR final_reviewer = $reviewer)
    AND ($from IS NULL OR created_at >= $from)
    AND ($to IS NULL OR created_at < $to)
)
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer,
       'label' AS kind, model_label AS category, count(*) AS n
FROM cut WHERE model_label IS NOT NULL GROUP BY ALL
UNION ALL
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer,
       'lane' AS kind, lane AS category, count(*) AS n
FROM cut WHERE lane IS NOT NULL GROUP BY ALL
ORDER BY ALL;
