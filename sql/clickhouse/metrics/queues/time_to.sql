-- Time to acknowledge, decide, escalate and close per cut (docs/metrics/queues-sla.md#time-to):
-- count and exact quantiles of the seconds from each clock's start to its stop, over the cases
-- whose stop had happened by the `now` parameter. Twin of sql/duckdb/metrics/queues/time_to.sql;
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
  {{cut.group_columns(time=started_at)}},
  stage,
  count()                                                                       AS n,
  quantilesExactInclusive(0.5, 0.9, 0.99)(greatest(dateDiff('millisecond', started_at, stopped_at), 0) / 1000.0) AS seconds_quantiles
FROM timed
WHERE stopped_at <= {now:DateTime64(3, 'UTC')}
  AND {{cut.filters(time=started_at)}}
GROUP BY ALL
ORDER BY ALL;
