-- Per reviewer and lane, within each group of the cut (the g_* columns of workload;
-- over the whole window, not per bucket):
-- how many decisions, how many approvals, and the median time taken, for the rubber-stamp
-- check (compared with lane_median_speed of the same group). Filters as the reviewers.
SELECT {{cut.capped_reviewer(reviewer=actor_id)}} AS reviewer, lane,
       -- the reviewer is a column of its own here and the rows are over the whole window (no bucket)
       {{cut.group_columns(reviewer=none, time=none)}},
       count(*) AS decisions,
       count(*) FILTER (WHERE decision = 'approve') AS approvals,
       count(seconds) AS timed,
       quantile_cont(seconds, 0.5) AS seconds_p50
FROM decision_facts
WHERE {{cut.filters(reviewer=actor_id, time=ts)}}
GROUP BY ALL
ORDER BY ALL;
