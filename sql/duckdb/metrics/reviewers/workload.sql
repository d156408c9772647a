-- Per reviewer (and the cut's dimensions): decisions, approvals, active hours and the
-- time decisions took (decision_facts.seconds). Decisions are cut by their own ts.
SELECT
  -- always per reviewer: load is per person by definition, whatever the cut groups by
  {{cut.capped_reviewer(reviewer=actor_id)}} AS g_reviewer,
  {{cut.group_columns(reviewer=none, time=ts)}},
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
