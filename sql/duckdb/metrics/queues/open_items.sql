-- Open queue items at $now: count, oldest age and age quantiles per cut, for all levels
-- together (all_levels = 1) and per level (docs/metrics/queues-sla.md#open-items).
-- An item is a review.assigned: it is open at $now when it was assigned at or before $now and
-- none of these had happened by then (after the assignment): the assignee's own
-- review.decided on the case (at or after it), a case.escalated, a case.closed, a later
-- review.assigned of the case at the same level (a reassignment; not in dual_review, where
-- two reviewers hold the case at once). A missing level counts as 1. Level 0 stands for cases
-- triaged into a reviewed lane ($review_lanes) that nobody has been assigned yet.
-- Window and bucket: the item's arrival (assignment, or triage for level 0); reviewer: the assignee.
WITH
-- only a case not closed at $now can hold an open item: a small set
open_cases AS (
  SELECT case_id, workflow, tier, lane, model_version, policy_version, triaged_at, first_assigned_at, first_closed_at
  FROM case_facts
  WHERE NOT (is_closed AND closed_at <= $now)
    -- the case's dimensions here; the reviewer (the assignee) and the window (the arrival) below
    AND {{cut.filters(reviewer=none, time=none)}}
),
assigned AS (
  -- the derived assignments know when each item ended; open at $now: not ended by then
  SELECT a.event_id, a.actor_id, a.level, a.assigned_at AS ts, o.workflow, o.tier, o.lane, o.model_version, o.policy_version
  FROM assignments a JOIN open_cases o USING (case_id)
  WHERE a.assigned_at <= $now AND (a.ended_at IS NULL OR a.ended_at > $now)
    AND {{cut.filters(workflow=none, tier=none, lane=none, model_version=none, policy_version=none, reviewer=a.actor_id, time=none)}}
),
items AS (
  SELECT workflow, tier, lane, model_version, policy_version, actor_id AS reviewer, level, ts AS arrived_at
  FROM assigned
  UNION ALL
  SELECT workflow, tier, lane, model_version, policy_version, NULL, 0, triaged_at
  FROM open_cases
  WHERE list_contains($review_lanes, lane) AND $reviewer IS NULL
    AND triaged_at <= $now
    AND (first_assigned_at IS NULL OR first_assigned_at > $now)
    AND (first_closed_at IS NULL OR first_closed_at > $now)
),
keyed AS (
  SELECT
    {{cut.group_columns(time=arrived_at)}},
    level,
    date_diff('millisecond', arrived_at, $now::TIMESTAMP) / 1000.0              AS age_seconds
  FROM items
  WHERE {{cut.filters(workflow=none, tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=arrived_at)}}
)
SELECT g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, level,
       grouping(level)                               AS all_levels,
       count(*)                                      AS open_items,
       max(age_seconds)                              AS oldest_age_seconds,
       -- exact: linear interpolation between order statistics (Hyndman-Fan type 7)
       quantile_cont(age_seconds, [0.5, 0.9, 0.99])  AS age_quantiles
FROM keyed
GROUP BY GROUPING SETS (
  (g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, level),
  (g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket)
)
ORDER BY ALL;
