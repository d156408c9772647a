-- Per reviewer (and the cut's dimensions): decisions, approvals, active hours and the
-- time decisions took (decision_facts.seconds). Decisions are cut by their own ts.
SELECT
  -- always per reviewer: load is per person by definition, whatever the cut groups by
  {{cut.capped_reviewer(reviewer=actor_id)}} AS g_reviewer,
  {{cut.group_columns(reviewer=none, time=ts)}},
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
