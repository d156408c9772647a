-- Reviewer agreement aggregates (docs/metrics/agreement.md): the twin of
-- sql/duckdb/metrics/agreement/rating_aggregates.sql, over the derived case_ratings, case_rating_patterns and
-- case_rating_pairs, each carrying its case's cut attributes (no join with case_facts); five
-- row kinds (rated, pattern, single, pairs, references), each an aggregate per cut group. With a reviewer
-- focus (the reviewer filter, or group_by reviewer) a case counts once for each rater in focus.
-- DuckDB's UNION ALL BY NAME is spelled out: every branch lists every column, in the first
-- branch's order, with typed NULLs; an absent `pattern` is [] (no Nullable(Array)).
-- ClickHouse inlines a CTE at each use: DuckDB's one `counted` CTE, grouped once and then split
-- by kind, was counted over again for each of its three uses here (issue 14: 0.65-1.2 s of the
-- steady job at 1M events). So each source is grouped once, in the branch that returns it:
-- rated and pattern from one read of case_rating_patterns (a case is a 'pattern' row too when
-- it has two or more ratings), single and references each from case_ratings, pairs from
-- case_rating_pairs.
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
)
-- a trailing ORDER BY would order the last branch of the UNION only
SELECT * FROM (
SELECT kind, {{cut.group_columns(reviewer=focus, time=created_at)}}, count() AS n, pattern, CAST(NULL AS Nullable(String)) AS label,
       CAST(NULL AS Nullable(String)) AS reviewer_a, CAST(NULL AS Nullable(String)) AS reviewer_b, CAST(NULL AS Nullable(String)) AS cells,
       CAST(NULL AS Nullable(String)) AS reviewer, CAST(NULL AS Nullable(UInt64)) AS agreed, CAST(NULL AS Nullable(UInt64)) AS adjudicated
FROM (SELECT kind, if(kind = 'pattern', pattern, CAST([] AS Array(Tuple(label String, n Int32)))) AS pattern,
             focus, workflow, tier, lane, model_version, policy_version, created_at
      FROM cases_in ARRAY JOIN if(ratings >= 2, ['rated', 'pattern'], ['rated']) AS kind
      WHERE {{cut.filters(reviewer=none, time=created_at)}})
GROUP BY kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, pattern
UNION ALL
-- cases rated once, by label: AC1's category shares count them; a rating counts for its rater
SELECT 'single', {{cut.group_columns(reviewer=focus, time=created_at)}}, count(), [], CAST(label AS Nullable(String)),
       NULL, NULL, NULL, NULL, NULL, NULL
FROM (SELECT label, if({{cut.reviewer_focus()}}, CAST(actor_id AS Nullable(String)), NULL) AS focus,
             workflow, tier, lane, model_version, policy_version, created_at
      FROM {database}.case_ratings
      WHERE ratings = 1 AND ({reviewer:Nullable(String)} IS NULL OR actor_id = {reviewer:Nullable(String)}))
WHERE {{cut.filters(reviewer=none, time=created_at)}}
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, label
UNION ALL
-- a reviewer pair's table in one row, its cells as JSON in the order the bootstrap draws them
-- (by n, label_a, label_b, as DuckDB's list ORDER BY): a row per cell cost ~20x more to hand
-- to JavaScript than to count
SELECT 'pairs', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, sum(n), [], NULL,
       reviewer_a, reviewer_b,
       toJSONString(arrayMap(t -> CAST((t.2, t.3, toUInt32(t.1)), 'Tuple(a String, b String, n UInt32)'),
                             arraySort(groupArray((n, label_a, label_b))))),
       NULL, NULL, NULL
FROM (SELECT {{cut.group_columns(reviewer=pair_focus, time=created_at)}}, reviewer_a, reviewer_b, label_a, label_b, count() AS n
      FROM pairs_in WHERE {{cut.filters(reviewer=none, time=created_at)}}
      GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, reviewer_a, reviewer_b, label_a, label_b)
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, reviewer_a, reviewer_b
UNION ALL
-- agreement with the reference needs per reviewer only how many items agreed, of how many; a
-- reference row counts for its own rater
SELECT 'references', {{cut.group_columns(reviewer=focus, time=created_at)}}, count(), [], NULL,
       NULL, NULL, NULL, reviewer, countIf(label = reference), countIf(adjudicated)
FROM (SELECT actor_id AS reviewer, label, reference, adjudicated,
             if({{cut.reviewer_focus()}}, CAST(actor_id AS Nullable(String)), NULL) AS focus,
             workflow, tier, lane, model_version, policy_version, created_at
      FROM {database}.case_ratings
      WHERE reference IS NOT NULL AND ({reviewer:Nullable(String)} IS NULL OR actor_id = {reviewer:Nullable(String)}))
WHERE {{cut.filters(reviewer=none, time=created_at)}}
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, reviewer
)
ORDER BY ALL;
