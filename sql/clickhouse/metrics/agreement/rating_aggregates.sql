-- Reviewer agreement aggregates (docs/metrics/agreement.md): the twin of
-- sql/duckdb/metrics/agreement/rating_aggregates.sql, over the derived case_ratings, case_rating_patterns and
-- case_rating_pairs, each carrying its case's cut attributes (no join with case_facts); five
-- row kinds (rated, pattern, single, pairs, references), each an aggregate per cut group. With a reviewer
-- focus (the reviewer filter, or group_by reviewer) a case counts once for each rater in focus.
-- DuckDB's UNION ALL BY NAME is spelled out: every branch lists every column, in the first
-- branch's order, with typed NULLs; an absent `pattern` is [] (no Nullable(Array)).
-- The reviewer filter is written out below on each rater column (r.actor_id, pair_focus,
-- actor_id) rather than by cut.filters: it selects raters in focus, not rows.
WITH
-- the case-level rows: one per rated case, or with a focus one per (case, rater in focus)
cases_in AS (
  SELECT case_id, ratings, pattern, CAST(NULL AS Nullable(String)) AS focus,
         workflow, tier, lane, model_version, policy_version, created_at
  FROM {database}.case_rating_patterns
  WHERE NOT {{cut.reviewer_focus()}}
  UNION ALL
  SELECT r.case_id, r.ratings, p.pattern, CAST(r.actor_id AS Nullable(String)),
         r.workflow, r.tier, r.lane, r.model_version, r.policy_version, r.created_at
  FROM {database}.case_ratings r JOIN {database}.case_rating_patterns p ON p.case_id = r.case_id
  WHERE {{cut.reviewer_focus()}}
    AND ({reviewer:Nullable(String)} IS NULL OR r.actor_id = {reviewer:Nullable(String)})
),
-- a pair counts for each of its two raters in focus (once, under a NULL focus, without one)
pairs_in AS (
  SELECT reviewer_a, reviewer_b, label_a, label_b, pair_focus,
         workflow, tier, lane, model_version, policy_version, created_at
  FROM {database}.case_rating_pairs
  ARRAY JOIN if({{cut.reviewer_focus()}},
                [CAST(reviewer_a AS Nullable(String)), CAST(reviewer_b AS Nullable(String))],
                [CAST(NULL AS Nullable(String))]) AS pair_focus
  WHERE {reviewer:Nullable(String)} IS NULL OR pair_focus = {reviewer:Nullable(String)}
),
-- a reference row counts for its own rater
refs_in AS (
  SELECT actor_id, label, reference, adjudicated,
         if({{cut.reviewer_focus()}},
            CAST(actor_id AS Nullable(String)), NULL) AS ref_focus,
         workflow, tier, lane, model_version, policy_version, created_at
  FROM {database}.case_ratings
  WHERE reference IS NOT NULL AND ({reviewer:Nullable(String)} IS NULL OR actor_id = {reviewer:Nullable(String)})
),
all_rows AS (
  SELECT 'rated' AS kind, CAST([] AS Array(Tuple(label String, n Int32))) AS pattern,
         CAST(NULL AS Nullable(String)) AS reviewer_a, CAST(NULL AS Nullable(String)) AS reviewer_b,
         CAST(NULL AS Nullable(String)) AS label_a, CAST(NULL AS Nullable(String)) AS label_b,
         CAST(NULL AS Nullable(String)) AS reviewer, CAST(NULL AS Nullable(String)) AS label,
         CAST(NULL AS Nullable(String)) AS reference, CAST(NULL AS Nullable(Bool)) AS adjudicated,
         focus, workflow, tier, lane, model_version, policy_version, created_at
  FROM cases_in
  UNION ALL
  SELECT 'pattern', pattern, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         focus, workflow, tier, lane, model_version, policy_version, created_at
  FROM cases_in WHERE ratings >= 2
  UNION ALL
  -- cases rated once, by label: AC1's category shares count them
  SELECT 'single', [], NULL, NULL, NULL, NULL, NULL, label, NULL, NULL,
         if({{cut.reviewer_focus()}},
            CAST(actor_id AS Nullable(String)), NULL),
         workflow, tier, lane, model_version, policy_version, created_at
  FROM {database}.case_ratings
  WHERE ratings = 1 AND ({reviewer:Nullable(String)} IS NULL OR actor_id = {reviewer:Nullable(String)})
  UNION ALL
  SELECT 'pair', [], reviewer_a, reviewer_b, label_a, label_b, NULL, NULL, NULL, NULL,
         pair_focus, workflow, tier, lane, model_version, policy_version, created_at
  FROM pairs_in
  UNION ALL
  SELECT 'reference', [], NULL, NULL, NULL, NULL, actor_id, label, reference, adjudicated,
         ref_focus, workflow, tier, lane, model_version, policy_version, created_at
  FROM refs_in
),
counted AS (
  SELECT kind,
         {{cut.group_columns(reviewer=focus, time=created_at)}},
         count() AS n,
         pattern, reviewer_a, reviewer_b, label_a, label_b, reviewer, label, reference, adjudicated
  FROM all_rows
  -- the reviewer filter is applied above, per rater in focus
  WHERE {{cut.filters(reviewer=none, time=created_at)}}
  GROUP BY ALL
)
-- a trailing ORDER BY would order the last branch of the UNION only
SELECT * FROM (
SELECT kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, toUInt64(n) AS n, pattern, label,
       CAST(NULL AS Nullable(String)) AS reviewer_a, CAST(NULL AS Nullable(String)) AS reviewer_b, CAST(NULL AS Nullable(String)) AS cells,
       CAST(NULL AS Nullable(String)) AS reviewer, CAST(NULL AS Nullable(UInt64)) AS agreed, CAST(NULL AS Nullable(UInt64)) AS adjudicated
FROM counted WHERE kind IN ('rated', 'pattern', 'single')
UNION ALL
-- a reviewer pair's table in one row, its cells as JSON in the order the bootstrap draws them
-- (by n, label_a, label_b, as DuckDB's list ORDER BY): a row per cell cost ~20x more to hand
-- to JavaScript than to count
SELECT 'pairs', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, toUInt64(sum(n)), [], CAST(NULL AS Nullable(String)),
       reviewer_a, reviewer_b,
       CAST(toJSONString(arrayMap(t -> CAST((assumeNotNull(t.2), assumeNotNull(t.3), toUInt32(t.1)), 'Tuple(a String, b String, n UInt32)'),
                                  arraySort(groupArray((n, label_a, label_b))))) AS Nullable(String)),
       CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(UInt64))
FROM counted WHERE kind = 'pair'
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, reviewer_a, reviewer_b
UNION ALL
-- agreement with the reference needs per reviewer only how many items agreed, of how many
SELECT 'references', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, toUInt64(sum(n)), [], CAST(NULL AS Nullable(String)),
       CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(String)),
       reviewer, CAST(toUInt64(sumIf(n, label = reference)) AS Nullable(UInt64)), CAST(toUInt64(sumIf(n, coalesce(adjudicated, false))) AS Nullable(UInt64))
FROM counted WHERE kind = 'reference'
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, reviewer
)
ORDER BY ALL;
