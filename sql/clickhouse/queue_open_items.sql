-- Open queue items at the `now` parameter: count, oldest age and age quantiles per cut, for all
-- levels together (all_levels = 1) and per level (docs/metrics/queues-sla.md#open-items).
-- Twin of sql/duckdb/queue_open_items.sql: an item is a review.assigned, open at `now` when none
-- of these had happened by then: the assignee's own decision on the case (at or after it), an
-- escalation, a close, a later assignment at the same level (not in dual_review). Level 0:
-- cases triaged into a reviewed lane that nobody has been assigned yet.
-- group_by_use_nulls: the level a grouping set leaves out is NULL, as in DuckDB, not 0.
WITH
-- only a case not closed at `now` can hold an open item: a small set
open_cases AS (
  SELECT case_id, workflow, tier, lane, model_version, policy_version, triaged_at, first_assigned_at, first_closed_at
  FROM {database}.case_facts
  WHERE NOT (is_closed AND closed_at <= {now:DateTime64(3, 'UTC')})
    AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
    AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
    AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
    AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
    AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
),
case_events AS (
  SELECT event_id, case_id, type, actor_id, coalesce(level, 1) AS level, ts
  FROM {database}.events FINAL
  WHERE case_id IN (SELECT case_id FROM open_cases)
    AND type IN ('review.assigned', 'review.decided', 'case.escalated', 'case.closed') AND ts <= {now:DateTime64(3, 'UTC')}
),
assigned AS (
  SELECT a.event_id AS event_id, a.case_id AS case_id, a.actor_id AS actor_id, a.level AS level, a.ts AS ts,
         o.workflow AS workflow, o.tier AS tier, o.lane AS lane, o.model_version AS model_version, o.policy_version AS policy_version
  FROM case_events a JOIN open_cases o ON o.case_id = a.case_id
  WHERE a.type = 'review.assigned' AND ({reviewer:Nullable(String)} IS NULL OR a.actor_id = {reviewer:Nullable(String)})
),
ended AS (
  SELECT DISTINCT a.event_id AS event_id
  FROM assigned a JOIN case_events e ON e.case_id = a.case_id
  WHERE (e.type = 'review.decided' AND e.actor_id = a.actor_id AND e.ts >= a.ts)
     OR (e.type IN ('case.escalated', 'case.closed') AND e.ts > a.ts)
     OR (e.type = 'review.assigned' AND e.level = a.level AND a.lane IS DISTINCT FROM 'dual_review'
         AND (e.ts > a.ts OR (e.ts = a.ts AND e.event_id > a.event_id)))
),
items AS (
  SELECT workflow, tier, lane, model_version, policy_version, actor_id AS reviewer, level, ts AS arrived_at
  FROM assigned WHERE event_id NOT IN (SELECT event_id FROM ended)
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
    CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
    CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
    CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
    CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
    CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
    CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN reviewer END             AS g_reviewer,
    multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(arrived_at),
            {bucket:Nullable(String)} = 'day', toStartOfDay(arrived_at),
            {bucket:Nullable(String)} = 'week', toDateTime(toMonday(arrived_at), 'UTC'), NULL) AS g_bucket,
    level,
    dateDiff('millisecond', arrived_at, {now:DateTime64(3, 'UTC')}) / 1000.0 AS age_seconds
  FROM items
  WHERE ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR arrived_at >= {from:Nullable(DateTime64(3, 'UTC'))})
    AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR arrived_at < {to:Nullable(DateTime64(3, 'UTC'))})
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
