-- Reviewer agreement aggregates (docs/metrics/agreement.md): the twin of
-- sql/duckdb/agreement_aggregates.sql, over the derived case_ratings and case_rating_patterns;
-- four row kinds (rated, pattern, pair, reference), each an aggregate per cut group. DuckDB's
-- UNION ALL BY NAME is spelled out: every branch lists every column, in DuckDB's order, with
-- typed NULLs; an absent `pattern` is [] (no Nullable(Array)).
WITH
scope AS (
  -- without a reviewer focus every rated case once; with one, a row per (case, its rater)
  SELECT case_id, ratings, CAST(NULL AS Nullable(String)) AS focus FROM {database}.case_rating_patterns
  WHERE NOT (has({group_by:Array(String)}, 'reviewer') OR {reviewer:Nullable(String)} IS NOT NULL)
  UNION ALL
  SELECT case_id, ratings, CAST(actor_id AS Nullable(String)) FROM {database}.case_ratings
  WHERE (has({group_by:Array(String)}, 'reviewer') OR {reviewer:Nullable(String)} IS NOT NULL)
    AND ({reviewer:Nullable(String)} IS NULL OR actor_id = {reviewer:Nullable(String)})
),
cut AS (
  SELECT s.case_id AS case_id, s.ratings AS ratings, s.focus AS focus,
         CASE WHEN has({group_by:Array(String)}, 'workflow') THEN c.workflow END             AS g_workflow,
         CASE WHEN has({group_by:Array(String)}, 'tier') THEN c.tier END                     AS g_tier,
         CASE WHEN has({group_by:Array(String)}, 'lane') THEN c.lane END                     AS g_lane,
         CASE WHEN has({group_by:Array(String)}, 'model_version') THEN c.model_version END   AS g_model_version,
         CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN c.policy_version END AS g_policy_version,
         CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN s.focus END                AS g_reviewer,
         multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(c.created_at),
                 {bucket:Nullable(String)} = 'day', toStartOfDay(c.created_at),
                 {bucket:Nullable(String)} = 'week', toDateTime(toMonday(c.created_at), 'UTC'), NULL) AS g_bucket
  FROM scope s JOIN {database}.case_facts c ON c.case_id = s.case_id
  WHERE ({workflow:Nullable(String)} IS NULL OR c.workflow = {workflow:Nullable(String)})
    AND ({tier:Nullable(UInt8)} IS NULL OR c.tier = {tier:Nullable(UInt8)})
    AND ({lane:Nullable(String)} IS NULL OR c.lane = {lane:Nullable(String)})
    AND ({model_version:Nullable(String)} IS NULL OR c.model_version = {model_version:Nullable(String)})
    AND ({policy_version:Nullable(String)} IS NULL OR c.policy_version = {policy_version:Nullable(String)})
    AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR c.created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
    AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR c.created_at < {to:Nullable(DateTime64(3, 'UTC'))})
),
-- in ClickHouse an ORDER BY after UNION ALL orders the last branch only: sort the whole below
kinds AS (
SELECT 'rated' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count() AS n, CAST([] AS Array(Tuple(label String, n Int32))) AS pattern,
       CAST(NULL AS Nullable(String)) AS reviewer_a, CAST(NULL AS Nullable(String)) AS reviewer_b,
       CAST(NULL AS Nullable(String)) AS label_a, CAST(NULL AS Nullable(String)) AS label_b,
       CAST(NULL AS Nullable(String)) AS reviewer, CAST(NULL AS Nullable(String)) AS label,
       CAST(NULL AS Nullable(String)) AS reference, CAST(NULL AS Nullable(Bool)) AS adjudicated
FROM cut GROUP BY ALL
UNION ALL
SELECT 'pattern', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(), p.pattern, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cut JOIN {database}.case_rating_patterns p ON p.case_id = cut.case_id
WHERE cut.ratings >= 2
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, p.pattern
UNION ALL
SELECT 'pair', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(), [], a.actor_id, b.actor_id, a.label, b.label, NULL, NULL, NULL, NULL
FROM cut
JOIN {database}.case_ratings a ON a.case_id = cut.case_id
JOIN {database}.case_ratings b ON b.case_id = cut.case_id
WHERE a.actor_id < b.actor_id AND (cut.focus IS NULL OR cut.focus = a.actor_id OR cut.focus = b.actor_id)
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, a.actor_id, b.actor_id, a.label, b.label
UNION ALL
SELECT 'reference', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(), [], NULL, NULL, NULL, NULL, f.actor_id, f.label, f.reference, f.adjudicated
FROM cut JOIN {database}.case_ratings f ON f.case_id = cut.case_id
WHERE f.reference IS NOT NULL AND (cut.focus IS NULL OR f.actor_id = cut.focus)
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, f.actor_id, f.label, f.reference, f.adjudicated
)
SELECT * FROM kinds
ORDER BY ALL;
