-- Drift: label and lane mix per cut group, over one window (docs/metrics/drift.md). Twin of
-- sql/duckdb/drift_categories.sql. One scan: ARRAY JOIN turns each case into its two
-- (kind, category) pairs, where DuckDB unions two selects over a CTE.
SELECT
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN final_reviewer END       AS g_reviewer,
  pair.1                                                                            AS kind,
  assumeNotNull(pair.2)                                                             AS category,
  count()                                                                           AS n
FROM {database}.case_facts
ARRAY JOIN [('label', toNullable(toString(model_label))), ('lane', toNullable(toString(lane)))] AS pair
WHERE pair.2 IS NOT NULL
  AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR final_reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
