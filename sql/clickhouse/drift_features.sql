-- Drift: `features` value counts per cut group and feature key, over one window
-- (docs/metrics/drift.md). Twin of sql/duckdb/drift_features.sql: a JSON number is numeric
-- (num_value), a JSON string categorical (cat_value), anything else skipped. A case's features
-- are those of its earliest case.created carrying them, as on DuckDB. `cut` is inlined twice:
-- a second scan of case_facts, not of events.
WITH
cut AS (
  SELECT case_id,
    CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
    CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
    CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
    CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
    CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
    CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN final_reviewer END       AS g_reviewer
  FROM {database}.case_facts
  WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
    AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
    AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
    AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
    AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
    AND ({reviewer:Nullable(String)} IS NULL OR final_reviewer = {reviewer:Nullable(String)})
    AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
    AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
),
created AS (
  SELECT case_id, argMin(assumeNotNull(features), (ts, event_id)) AS case_features
  FROM {database}.events FINAL
  WHERE type = 'case.created' AND features IS NOT NULL AND case_id IN (SELECT case_id FROM cut)
  GROUP BY case_id
),
entries AS (
  SELECT c.g_workflow AS g_workflow, c.g_tier AS g_tier, c.g_lane AS g_lane, c.g_model_version AS g_model_version,
         c.g_policy_version AS g_policy_version, c.g_reviewer AS g_reviewer,
         kv.1 AS feature, toString(JSONType(kv.2)) AS json_type, kv.2 AS raw
  FROM cut c JOIN created f ON f.case_id = c.case_id
  ARRAY JOIN JSONExtractKeysAndValuesRaw(f.case_features) AS kv
)
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, feature,
       if(json_type = 'String', 'categorical', 'numeric')                         AS kind,
       if(json_type = 'String', NULL, toNullable(JSONExtractFloat(raw)))          AS num_value,
       if(json_type = 'String', toNullable(JSONExtractString(raw)), NULL)         AS cat_value,
       count()                                                                    AS n
FROM entries
WHERE json_type IN ('Int64', 'UInt64', 'Double', 'String')
GROUP BY ALL
ORDER BY ALL;
