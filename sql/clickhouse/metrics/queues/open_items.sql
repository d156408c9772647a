-- Open queue items at the `now` parameter: count, oldest age and age quantiles per cut, for all
-- levels together (all_levels = 1) and per level (docs/metrics/queues-sla.md#open-items).
-- Twin of sql/duckdb/metrics/queues/open_items.sql: an item is a review.assigned, open at `now` when it
-- was assigned by then and had not ended (the derived assignments: the assignee's own decision
-- on the case, an escalation, a close, a later assignment at the same level). Level 0: cases
-- triaged into a reviewed lane that nobody has been assigned yet.
-- group_by_use_nulls: the level a grouping set leaves out is NULL, as in DuckDB, not 0.
WITH
-- only a case not closed at `now` can hold an open item: a small set
open_cases AS (
  SELECT case_id, workflow, tier, lane, model_version, policy_version, triaged_at, first_assigned_at, first_closed_at
  FROM {database}.case_facts
  WHERE NOT (is_closed AND closed_at <= {now:DateTime64(3, 'UTC')})
    -- the case's dimensions here; the reviewer (the assignee) and the window (the arrival) below
    AND {{cut.filters(reviewer=none, time=none)}}
),
assigned AS (
  -- the derived assignments know when each item ended; open at `now`: not ended by then
  SELECT a.event_id AS event_id, a.actor_id AS actor_id, a.level AS level, a.assigned_at AS ts,
         o.workflow AS workflow, o.tier AS tier, o.lane AS lane, o.model_version AS model_version, o.policy_version AS policy_version
  FROM {database}.assignments a JOIN open_cases o ON o.case_id = a.case_id
  WHERE a.assigned_at <= {now:DateTime64(3, 'UTC')} AND (a.ended_at IS NULL OR a.ended_at > {now:DateTime64(3, 'UTC')})
    AND {{cut.filters(workflow=none, tier=none, lane=none, model_version=none, policy_version=none, reviewer=a.actor_id, time=none)}}
),
items AS (
  SELECT workflow, tier, lane, model_version, policy_version, actor_id AS reviewer, level, ts AS arrived_at
  FROM assigned
  UNION ALL
  SELECT workflow, tier, lane, model_version, policy_version, NULL, 0, triaged_at
  FROM open_cases
  WHERE has({review_lanes:Array(String)}, lane) AND {reviewer:Nullable(String)} IS NULL
    AND triaged_at <= {now:DateTime64(3, 'UTC')}
    AND (first_assigned_at IS NULL OR first_assigned_at > {now:DateTime64(3, 'UTC')})
    AND (first_closed_at IS NULL OR first_closed_at > {now:DateTime64(3, 'UTC')})
),
keyed AS (
  SELECT
    {{cut.group_columns(time=arrived_at)}},
    level,
    dateDiff('millisecond', arrived_at, {now:DateTime64(3, 'UTC')}) / 1000.0 AS age_seconds
  FROM items
  WHERE {{cut.filters(workflow=none, tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=arrived_at)}}
)
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, level,
       grouping(level)                                      AS all_levels,
       count()                                              AS open_items,
       max(age_seconds)                                     AS oldest_age_seconds,
       quantilesExactInclusive(0.5, 0.9, 0.99)(age_seconds) AS age_quantiles
FROM keyed
GROUP BY GROUPING SETS (
  (g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, level),
  (g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket)
)
ORDER BY ALL
SETTINGS group_by_use_nulls = 1;
