-- Drift: the model's label mix and the triage lane mix per cut group, over one window
-- (docs/metrics/drift.md): one row per (group, kind, category) with its case count. A case
-- without a model_label (or not yet triaged) is left out of that mix, not counted as a category:
-- the newest cases of the current window are often untriaged, and that is not drift.
WITH cut AS (
  SELECT
    {{cut.group_columns(reviewer=final_reviewer, time=none)}},
    model_label, lane
  FROM case_facts
  WHERE {{cut.filters(reviewer=final_reviewer, time=created_at)}}
)
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer,
       'label' AS kind, model_label AS category, count(*) AS n
FROM cut WHERE model_label IS NOT NULL GROUP BY ALL
UNION ALL
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer,
       'lane' AS kind, lane AS category, count(*) AS n
FROM cut WHERE lane IS NOT NULL GROUP BY ALL
ORDER BY ALL;
