-- Per reviewer (and the cut's dimensions): decisions, approvals, active hours and the
-- time decisions took (decision_facts.seconds). Decisions are cut by their own ts.
SELECT
  actor_id                                                                     AS g_reviewer,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  date_trunc($bucket, ts)                                                      AS g_bucket,
  count(*)                                                                     AS decisions,
  count(*) FILTER (WHERE decision = 'approve')                                 AS approvals,
  count(DISTINCT date_trunc('hour', ts))                                       AS active_hours,
  count(seconds)                                                               AS timed,
  coalesce(sum(seconds), 0)                                                    AS seconds_total,
  quantile_cont(seconds, 0.5)                                                  AS seconds_p50,
  quantile_cont(seconds, 0.9)                                                  AS seconds_p90
FROM decision_facts
WHERE {{cut.filters(reviewer=actor_id, time=ts)}}
GROUP BY ALL
ORDER BY ALL;
