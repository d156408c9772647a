-- Reviewer agreement aggregates (docs/metrics/agreement.md), over the derived case_ratings
-- and case_rating_patterns (sql/duckdb/derived/, where a rating and a reference are defined).
-- Four row kinds, each an aggregate per cut group:
--   rated     cases with at least one rating (n)
--   pattern   items (cases with ≥ 2 ratings) per distinct label multiset `pattern` (n)
--   pair      (reviewer_a < reviewer_b, label_a, label_b) over cases both rated (n)
--   reference (reviewer, label, reference, adjudicated) over items with a reference label (n)
-- Rows grow with groups × distinct patterns / pairs / labels, never with events.
-- Cases are cut by their own attributes and created_at; the reviewer filter (or group_by
-- reviewer) keeps the cases that reviewer rated and, of pairs and references, their own.
WITH
scope AS (
  -- without a reviewer focus every rated case once; with one, a row per (case, its rater)
  SELECT case_id, ratings, NULL::VARCHAR AS focus FROM case_rating_patterns
  WHERE NOT (list_contains($group_by, 'reviewer') OR $reviewer IS NOT NULL)
  UNION ALL
  SELECT case_id, ratings, actor_id FROM case_ratings
  WHERE (list_contains($group_by, 'reviewer') OR $reviewer IS NOT NULL)
    AND ($reviewer IS NULL OR actor_id = $reviewer)
),
cut AS (
  SELECT s.case_id, s.ratings, s.focus,
         CASE WHEN list_contains($group_by, 'workflow') THEN c.workflow END             AS g_workflow,
         CASE WHEN list_contains($group_by, 'tier') THEN c.tier END                     AS g_tier,
         CASE WHEN list_contains($group_by, 'lane') THEN c.lane END                     AS g_lane,
         CASE WHEN list_contains($group_by, 'model_version') THEN c.model_version END   AS g_model_version,
         CASE WHEN list_contains($group_by, 'policy_version') THEN c.policy_version END AS g_policy_version,
         CASE WHEN list_contains($group_by, 'reviewer') THEN s.focus END                AS g_reviewer,
         date_trunc($bucket, c.created_at)                                              AS g_bucket
  FROM scope s JOIN case_facts c USING (case_id)
  WHERE ($workflow IS NULL OR c.workflow = $workflow)
    AND ($tier IS NULL OR c.tier = $tier)
    AND ($lane IS NULL OR c.lane = $lane)
    AND ($model_version IS NULL OR c.model_version = $model_version)
    AND ($policy_version IS NULL OR c.policy_version = $policy_version)
    AND ($from IS NULL OR c.created_at >= $from)
    AND ($to IS NULL OR c.created_at < $to)
)
SELECT 'rated' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(*) AS n
FROM cut GROUP BY ALL
UNION ALL BY NAME
SELECT 'pattern' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       p.pattern, count(*) AS n
FROM cut JOIN case_rating_patterns p USING (case_id) WHERE cut.ratings >= 2 GROUP BY ALL
UNION ALL BY NAME
SELECT 'pair' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       a.actor_id AS reviewer_a, b.actor_id AS reviewer_b, a.label AS label_a, b.label AS label_b, count(*) AS n
FROM cut
JOIN case_ratings a ON a.case_id = cut.case_id
JOIN case_ratings b ON b.case_id = cut.case_id AND a.actor_id < b.actor_id
WHERE cut.focus IS NULL OR cut.focus IN (a.actor_id, b.actor_id)
GROUP BY ALL
UNION ALL BY NAME
SELECT 'reference' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       f.actor_id AS reviewer, f.label, f.reference, f.adjudicated, count(*) AS n
FROM cut JOIN case_ratings f ON f.case_id = cut.case_id
WHERE f.reference IS NOT NULL AND (cut.focus IS NULL OR f.actor_id = cut.focus)
GROUP BY ALL
ORDER BY ALL;
