-- Per reviewer (and the cut's dimensions): decisions, approvals, active hours and the
-- time decisions took (decision_facts.seconds). Decisions are cut by their own ts.
SELECT
  actor_id                                                                     AS g_reviewer,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(ts),
          {bucket:Nullable(String)} = 'day', toStartOfDay(ts),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(ts), 'UTC'), NULL) AS g_bucket,
  count()                                                                      AS decisions,
  countIf(decision = 'approve')                                                AS approvals,
  uniqExact(toStartOfHour(ts))                                                 AS active_hours,
  count(seconds)                                                               AS timed,
  coalesce(sum(seconds), 0)                                                    AS seconds_total,
  quantileExactInclusive(0.5)(seconds)                                         AS seconds_p50,
  quantileExactInclusive(0.9)(seconds)                                         AS seconds_p90
FROM {database}.decision_facts
WHERE {{cut.filters(reviewer=actor_id, time=ts)}}
GROUP BY ALL
ORDER BY ALL;
