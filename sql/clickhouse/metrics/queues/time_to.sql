-- Time to acknowledge, decide, escalate and close per cut (docs/metrics/queues-sla.md#time-to):
-- count and exact quantiles of the seconds from each clock's start to its stop, over the cases
-- whose stop had happened by the `now` parameter. Twin of sql/duckdb/queue_time_to.sql;
-- quantilesExactInclusive is DuckDB's quantile_cont (Hyndman-Fan type 7).
WITH
timed AS (
  SELECT 'acknowledge' AS stage, first_assignee AS reviewer, first_assigned_at AS started_at, first_ack_at AS stopped_at,
         workflow, tier, lane, model_version, policy_version
  FROM {database}.case_clocks WHERE first_ack_at IS NOT NULL AND first_assigned_at IS NOT NULL
  UNION ALL
  SELECT 'decide', primary_by, started_at, primary_at, workflow, tier, lane, model_version, policy_version
  FROM {database}.case_clocks WHERE primary_at IS NOT NULL AND started_at IS NOT NULL
  UNION ALL
  SELECT 'escalate', first_assignee, started_at, first_escalated_at, workflow, tier, lane, model_version, policy_version
  FROM {database}.case_clocks WHERE first_escalated_at IS NOT NULL AND started_at IS NOT NULL
  UNION ALL
  SELECT 'close', coalesce(completed_by, last_assignee), started_at, first_closed_at, workflow, tier, lane, model_version, policy_version
  FROM {database}.case_clocks WHERE first_closed_at IS NOT NULL AND started_at IS NOT NULL
)
SELECT
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN reviewer END             AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(started_at),
          {bucket:Nullable(String)} = 'day', toStartOfDay(started_at),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(started_at), 'UTC'), NULL) AS g_bucket,
  stage,
  count()                                                                       AS n,
  quantilesExactInclusive(0.5, 0.9, 0.99)(greatest(dateDiff('millisecond', started_at, stopped_at), 0) / 1000.0) AS seconds_quantiles
FROM timed
WHERE stopped_at <= {now:DateTime64(3, 'UTC')}
  AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR started_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR started_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
