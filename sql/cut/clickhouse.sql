-- The cut of every metric query, written once for ClickHouse (docs/sql.md): the fragments that
-- sql/clickhouse/metrics/**/*.sql include with {{cut.<fragment>(name=column, ...)}}, expanded by the
-- SQL loader (src/store/sql-fragments.ts) when a query file is read. It lives outside
-- sql/clickhouse/ because every .sql file there is a query the stores can run.
-- Each fragment starts at its `fragment` line and declares its parameters (name=default column,
-- or a bare name: required) and how its items (one per line) are joined.

-- loopwatch: fragment group_columns
-- The cut's group-by columns (src/metrics/cuts.ts, docs/sql.md): g_<dimension> is the row's
-- dimension when the cut groups by it and NULL otherwise, so one query serves every group_by;
-- g_bucket is the metric's own time column truncated to the bucket (NULL without a bucket;
-- weeks start on Monday, as DuckDB's date_trunc('week')).
-- Workflows and reviewers are capped (docs/metrics.md#label-cardinality): keep_<dimension> lists
-- the values kept (empty: all), every other value falls into the overflow group '(other)'.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by ,
CASE WHEN has({group_by:Array(String)}, 'workflow') THEN (CASE WHEN empty({keep_workflow:Array(String)}) OR {{workflow}} IS NULL OR has({keep_workflow:Array(String)}, {{workflow}}) THEN {{workflow}} ELSE '(other)' END) END AS g_workflow
CASE WHEN has({group_by:Array(String)}, 'tier') THEN {{tier}} END AS g_tier
CASE WHEN has({group_by:Array(String)}, 'lane') THEN {{lane}} END AS g_lane
CASE WHEN has({group_by:Array(String)}, 'model_version') THEN {{model_version}} END AS g_model_version
CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN {{policy_version}} END AS g_policy_version
CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN (CASE WHEN empty({keep_reviewer:Array(String)}) OR {{reviewer}} IS NULL OR has({keep_reviewer:Array(String)}, {{reviewer}}) THEN {{reviewer}} ELSE '(other)' END) END AS g_reviewer
multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour({{time}}), {bucket:Nullable(String)} = 'day', toStartOfDay({{time}}), {bucket:Nullable(String)} = 'week', toDateTime(toMonday({{time}}), 'UTC'), NULL) AS g_bucket

-- loopwatch: fragment filters
-- The cut's filters (src/metrics/cuts.ts, docs/sql.md): an absent filter is NULL and matches
-- every row; the window [from, to) is on the metric's own time column.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by AND
({workflow:Nullable(String)} IS NULL OR {{workflow}} = {workflow:Nullable(String)})
({tier:Nullable(UInt8)} IS NULL OR {{tier}} = {tier:Nullable(UInt8)})
({lane:Nullable(String)} IS NULL OR {{lane}} = {lane:Nullable(String)})
({model_version:Nullable(String)} IS NULL OR {{model_version}} = {model_version:Nullable(String)})
({policy_version:Nullable(String)} IS NULL OR {{policy_version}} = {policy_version:Nullable(String)})
({reviewer:Nullable(String)} IS NULL OR {{reviewer}} = {reviewer:Nullable(String)})
({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR {{time}} >= {from:Nullable(DateTime64(3, 'UTC'))})
({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR {{time}} < {to:Nullable(DateTime64(3, 'UTC'))})

-- loopwatch: fragment reviewer_focus
-- A reviewer focus (docs/metrics/agreement.md): the cut groups by reviewer or filters on one,
-- so rows that belong to several raters (a case, a pair) count once for each rater in focus.
-- loopwatch: params
-- loopwatch: joined by AND
(has({group_by:Array(String)}, 'reviewer') OR {reviewer:Nullable(String)} IS NOT NULL)

-- loopwatch: fragment capped_reviewer
-- A reviewer column that is always grouped on (the reviewers family): capped as g_reviewer is.
-- loopwatch: params reviewer
-- loopwatch: joined by ,
CASE WHEN empty({keep_reviewer:Array(String)}) OR {{reviewer}} IS NULL OR has({keep_reviewer:Array(String)}, {{reviewer}}) THEN {{reviewer}} ELSE '(other)' END
