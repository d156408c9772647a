-- The cut's group-by columns (src/metrics/cuts.ts, docs/sql.md): g_<dimension> is the row's
-- dimension when the cut groups by it and NULL otherwise, so one query serves every group_by;
-- g_bucket is the metric's own time column truncated to the bucket (NULL without a bucket;
-- weeks start on Monday, as DuckDB's date_trunc('week')).
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by ,
CASE WHEN has({group_by:Array(String)}, 'workflow') THEN {{workflow}} END AS g_workflow
CASE WHEN has({group_by:Array(String)}, 'tier') THEN {{tier}} END AS g_tier
CASE WHEN has({group_by:Array(String)}, 'lane') THEN {{lane}} END AS g_lane
CASE WHEN has({group_by:Array(String)}, 'model_version') THEN {{model_version}} END AS g_model_version
CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN {{policy_version}} END AS g_policy_version
CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN {{reviewer}} END AS g_reviewer
multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour({{time}}), {bucket:Nullable(String)} = 'day', toStartOfDay({{time}}), {bucket:Nullable(String)} = 'week', toDateTime(toMonday({{time}}), 'UTC'), NULL) AS g_bucket
