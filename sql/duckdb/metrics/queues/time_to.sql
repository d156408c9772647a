-- Time to acknowledge, decide, escalate and close per cut (docs/metrics/queues-sla.md#time-to):
-- count and exact quantiles of the seconds from each clock's start to its stop, over the
-- cases whose stop had happened by $now. A stop stamped before its start counts as 0 s.
-- Window and bucket: the clock's start; reviewer: the person who held the case for that step.
WITH
timed AS (
  SELECT 'acknowledge' AS stage, first_assignee AS reviewer, first_assigned_at AS started_at, first_ack_at AS stopped_at,
         workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE first_ack_at IS NOT NULL AND first_assigned_at IS NOT NULL
  UNION ALL
  SELECT 'decide', primary_by, started_at, primary_at, workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE primary_at IS NOT NULL AND started_at IS NOT NULL
  UNION ALL
  SELECT 'escalate', first_assignee, started_at, first_escalated_at, workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE first_escalated_at IS NOT NULL AND started_at IS NOT NULL
  UNION ALL
  SELECT 'close', coalesce(completed_by, last_assignee), started_at, first_closed_at, workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE first_closed_at IS NOT NULL AND started_at IS NOT NULL
)
SELECT
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN reviewer END             AS g_reviewer,
  date_trunc($bucket, started_at)                                              AS g_bucket,
  stage,
  count(*)                                                                      AS n,
  -- exact: linear interpolation between order statistics (Hyndman-Fan type 7)
  quantile_cont(greatest(date_diff('millisecond', started_at, stopped_at), 0) / 1000.0, [0.5, 0.9, 0.99]) AS seconds_quantiles
FROM timed
WHERE stopped_at <= $now
  AND ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR reviewer = $reviewer)
  AND ($from IS NULL OR started_at >= $from)
  AND ($to IS NULL OR started_at < $to)
GROUP BY ALL
ORDER BY ALL;
