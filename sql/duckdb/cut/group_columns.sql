-- The cut's group-by columns (src/metrics/cuts.ts, docs/sql.md): g_<dimension> is the row's
-- dimension when the cut groups by it and NULL otherwise, so one query serves every group_by;
-- g_bucket is the metric's own time column truncated to the bucket (NULL without a bucket).
-- $group_by and $bucket are inlined as literals, so DuckDB folds the branches not taken.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by ,
CASE WHEN list_contains($group_by, 'workflow') THEN {{workflow}} END AS g_workflow
CASE WHEN list_contains($group_by, 'tier') THEN {{tier}} END AS g_tier
CASE WHEN list_contains($group_by, 'lane') THEN {{lane}} END AS g_lane
CASE WHEN list_contains($group_by, 'model_version') THEN {{model_version}} END AS g_model_version
CASE WHEN list_contains($group_by, 'policy_version') THEN {{policy_version}} END AS g_policy_version
CASE WHEN list_contains($group_by, 'reviewer') THEN {{reviewer}} END AS g_reviewer
date_trunc($bucket, {{time}}) AS g_bucket
