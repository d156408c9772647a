-- Drift: `features` value counts per cut group and feature key, over one window
-- (docs/metrics/drift.md). A JSON number is a numeric value (num_value), a JSON string a
-- category (cat_value); other JSON types are not in the event contract and are skipped. Values
-- are exact, as for confidence, so rows grow with the distinct values of each key.
-- features live on case.created, not in case_facts: only the cases of the window are looked up,
-- and, as case_facts does for every attribute, the earliest case.created carrying them wins.
WITH
cut AS (
  SELECT case_id,
    CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
    CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
    CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
    CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
    CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
    CASE WHEN list_contains($group_by, 'reviewer') THEN final_reviewer END       AS g_reviewer
  FROM case_facts
  WHERE ($workflow IS NULL OR workflow = $workflow)
    AND ($tier IS NULL OR tier = $tier)
    AND ($lane IS NULL OR lane = $lane)
    AND ($model_version IS NULL OR model_version = $model_version)
    AND ($policy_version IS NULL OR policy_version = $policy_version)
    AND ($reviewer IS NULL OR final_reviewer = $reviewer)
    AND ($from IS NULL OR created_at >= $from)
    AND ($to IS NULL OR created_at < $to)
),
created AS (
  SELECT e.case_id, arg_min(e.features, (e.ts, e.event_id)) AS features
  FROM events e SEMI JOIN cut ON cut.case_id = e.case_id
  WHERE e.type = 'case.created' AND e.features IS NOT NULL
  GROUP BY e.case_id
),
entries AS (
  SELECT c.g_workflow, c.g_tier, c.g_lane, c.g_model_version, c.g_policy_version, c.g_reviewer,
         j.key AS feature, j.type AS json_type, j.value AS json_value
  FROM cut c JOIN created f ON f.case_id = c.case_id, json_each(f.features) j
)
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, feature,
       CASE WHEN json_type = 'VARCHAR' THEN 'categorical' ELSE 'numeric' END AS kind,
       CASE WHEN json_type <> 'VARCHAR' THEN json_value::DOUBLE END         AS num_value,
       CASE WHEN json_type = 'VARCHAR' THEN json_value ->> '$' END          AS cat_value,
       count(*)                                                              AS n
FROM entries
WHERE json_type IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'VARCHAR')
GROUP BY ALL
ORDER BY ALL;
