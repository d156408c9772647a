-- The cut of every metric query, written once for DuckDB (docs/sql.md): the fragments that
-- sql/duckdb/metrics/**/*.sql include with {{cut.<fragment>(name=column, ...)}}, expanded by the
-- SQL loader (src/store/sql-fragments.ts) when a query file is read. It lives outside
-- sql/duckdb/ because every .sql file there is a query the stores can run.
-- Each fragment starts at its `fragment` line and declares its parameters (name=default column,
-- or a bare name: required) and how its items (one per line) are joined.

-- loopwatch: fragment group_columns
-- The cut's group-by columns (src/metrics/cuts.ts, docs/sql.md): g_<dimension> is the row's
-- dimension when the cut groups by it and NULL otherwise, so one query serves every group_by;
-- g_bucket is the metric's own time column truncated to the bucket (NULL without a bucket).
-- Workflows and reviewers are capped (docs/metrics.md#label-cardinality): $keep_<dimension> lists
-- the values kept (empty: all), every other value falls into the overflow group '(other)'.
-- $group_by and $bucket are written as literals (a closed vocabulary, docs/sql.md), so DuckDB folds the branches not taken.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by ,
CASE WHEN list_contains($group_by, 'workflow') THEN (CASE WHEN len($keep_workflow) = 0 OR {{workflow}} IS NULL OR list_contains($keep_workflow, {{workflow}}) THEN {{workflow}} ELSE '(other)' END) END AS g_workflow
CASE WHEN list_contains($group_by, 'tier') THEN {{tier}} END AS g_tier
CASE WHEN list_contains($group_by, 'lane') THEN {{lane}} END AS g_lane
CASE WHEN list_contains($group_by, 'model_version') THEN {{model_version}} END AS g_model_version
CASE WHEN list_contains($group_by, 'policy_version') THEN {{policy_version}} END AS g_policy_version
CASE WHEN list_contains($group_by, 'reviewer') THEN (CASE WHEN len($keep_reviewer) = 0 OR {{reviewer}} IS NULL OR list_contains($keep_reviewer, {{reviewer}}) THEN {{reviewer}} ELSE '(other)' END) END AS g_reviewer
date_trunc($bucket, {{time}}) AS g_bucket

-- loopwatch: fragment filters
-- The cut's filters (src/metrics/cuts.ts, docs/sql.md): an absent filter is NULL and matches
-- every row; the window [from, to) is on the metric's own time column. A present filter is
-- bound; an absent one is written as the literal NULL, so DuckDB drops the filters not asked for.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by AND
($workflow IS NULL OR {{workflow}} = $workflow)
($tier IS NULL OR {{tier}} = $tier)
($lane IS NULL OR {{lane}} = $lane)
($model_version IS NULL OR {{model_version}} = $model_version)
($policy_version IS NULL OR {{policy_version}} = $policy_version)
($reviewer IS NULL OR {{reviewer}} = $reviewer)
($from IS NULL OR {{time}} >= $from)
($to IS NULL OR {{time}} < $to)

-- loopwatch: fragment reviewer_focus
-- A reviewer focus (docs/metrics/agreement.md): the cut groups by reviewer or filters on one,
-- so rows that belong to several raters (a case, a pair) count once for each rater in focus.
-- loopwatch: params
-- loopwatch: joined by AND
(list_contains($group_by, 'reviewer') OR $reviewer IS NOT NULL)

-- loopwatch: fragment capped_reviewer
-- A reviewer column that is always grouped on (the reviewers family): capped as g_reviewer is.
-- loopwatch: params reviewer
-- loopwatch: joined by ,
CASE WHEN len($keep_reviewer) = 0 OR {{reviewer}} IS NULL OR list_contains($keep_reviewer, {{reviewer}}) THEN {{reviewer}} ELSE '(other)' END
