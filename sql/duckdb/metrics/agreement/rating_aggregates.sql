-- Reviewer agreement aggregates (docs/metrics/agreement.md), over the derived case_ratings,
-- case_rating_patterns and case_rating_pairs (sql/duckdb/derived/, where a rating and a
-- reference are defined); each carries its case's cut attributes, so no join is needed.
-- Five row kinds, each an aggregate per cut group:
--   rated      cases with at least one rating (n)
--   pattern    items (cases with ≥ 2 ratings) per distinct label multiset `pattern` (n)
--   single     cases rated once, per `label` (n): Gwet's AC1 counts them in its category
--              shares, the coefficients that need pairable ratings do not
--   pairs      per (reviewer_a < reviewer_b), the table of (label_a, label_b, n) over cases
--              both rated, as JSON `cells`
--   references per reviewer, items with a reference label (n), those where the reviewer's
--              label is the reference (agreed) and those adjudicated
-- Rows grow with groups × distinct patterns / pairs / reviewers, never with events.
-- Cases are cut by their own attributes and created_at. With a reviewer focus (the reviewer
-- filter, or group_by reviewer) a case counts once for each rater in focus: its rated and
-- pattern rows are that rater's, a single rating is its rater's, a pair counts for each of its two raters in focus, and a
-- reference row for its own rater.
-- Each source is grouped once, in the branch that returns its kind (rated and pattern from
-- case_rating_patterns, single and references from case_ratings, pairs from case_rating_pairs),
-- as in the ClickHouse twin, where a shared CTE of every row was grouped again at each use;
-- here too it costs less than grouping one union of every row by all the columns of every kind.
-- The reviewer filter is written out below on each rater column (r.actor_id, reviewer_a,
-- reviewer_b, actor_id) rather than by cut.filters: it selects raters in focus, not rows.
WITH
-- the case-level rows: one per rated case, or with a focus one per (case, rater in focus)
cases_in AS (
  SELECT case_id, ratings, pattern, NULL::VARCHAR AS focus, workflow, tier, lane, model_version, policy_version, created_at
  FROM case_rating_patterns WHERE NOT {{cut.reviewer_focus()}}
  UNION ALL
  SELECT r.case_id, r.ratings, p.pattern, r.actor_id, r.workflow, r.tier, r.lane, r.model_version, r.policy_version, r.created_at
  FROM case_ratings r JOIN case_rating_patterns p USING (case_id)
  WHERE {{cut.reviewer_focus()}} AND ($reviewer IS NULL OR r.actor_id = $reviewer)
),
pairs_in AS (
  -- with a focus a pair counts for each of its two raters in focus
  SELECT *, NULL::VARCHAR AS focus FROM case_rating_pairs WHERE NOT {{cut.reviewer_focus()}}
  UNION ALL
  SELECT *, reviewer_a FROM case_rating_pairs WHERE {{cut.reviewer_focus()}} AND ($reviewer IS NULL OR reviewer_a = $reviewer)
  UNION ALL
  SELECT *, reviewer_b FROM case_rating_pairs WHERE {{cut.reviewer_focus()}} AND ($reviewer IS NULL OR reviewer_b = $reviewer)
)
SELECT 'rated' AS kind, {{cut.group_columns(reviewer=focus, time=created_at)}}, count(*) AS n
FROM cases_in WHERE {{cut.filters(reviewer=none, time=created_at)}}
GROUP BY ALL
UNION ALL BY NAME
SELECT 'pattern' AS kind, {{cut.group_columns(reviewer=focus, time=created_at)}}, count(*) AS n, pattern
FROM cases_in WHERE ratings >= 2 AND {{cut.filters(reviewer=none, time=created_at)}}
GROUP BY ALL
UNION ALL BY NAME
-- a single rating counts for its rater
SELECT 'single' AS kind, {{cut.group_columns(reviewer=focus, time=created_at)}}, count(*) AS n, label
FROM (SELECT *, CASE WHEN {{cut.reviewer_focus()}} THEN actor_id END AS focus FROM case_ratings
      WHERE ratings = 1 AND ($reviewer IS NULL OR actor_id = $reviewer))
WHERE {{cut.filters(reviewer=none, time=created_at)}}
GROUP BY ALL
UNION ALL BY NAME
-- a reviewer pair's table in one row, its cells as JSON in the order the bootstrap draws them
-- (by n, label_a, label_b): a row per cell cost ~20x more to hand to JavaScript than to count.
-- Sorted as a list of (n, a, b) structs after the aggregate, then renamed into the JSON's field
-- order: list() with ORDER BY sorts within the aggregate, ~3x the CPU of the whole rest of
-- this branch at 1M events ((n, a, b) is unique in a table, so the order is the same).
SELECT 'pairs' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, sum(n)::BIGINT AS n,
       reviewer_a, reviewer_b, to_json(list_transform(list_sort(list({'n': n, 'a': label_a, 'b': label_b})), c -> {'a': c.a, 'b': c.b, 'n': c.n}))::VARCHAR AS cells
FROM (SELECT {{cut.group_columns(reviewer=focus, time=created_at)}}, reviewer_a, reviewer_b, label_a, label_b, count(*) AS n
      FROM pairs_in WHERE {{cut.filters(reviewer=none, time=created_at)}} GROUP BY ALL)
GROUP BY ALL
UNION ALL BY NAME
-- agreement with the reference needs per reviewer only how many items agreed, of how many; a
-- reference row counts for its own rater
SELECT 'references' AS kind, {{cut.group_columns(reviewer=focus, time=created_at)}}, count(*)::BIGINT AS n,
       actor_id AS reviewer, count(*) FILTER (WHERE label = reference)::BIGINT AS agreed,
       count(*) FILTER (WHERE adjudicated)::BIGINT AS adjudicated
FROM (SELECT *, CASE WHEN {{cut.reviewer_focus()}} THEN actor_id END AS focus FROM case_ratings
      WHERE reference IS NOT NULL AND ($reviewer IS NULL OR actor_id = $reviewer))
WHERE {{cut.filters(reviewer=none, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
