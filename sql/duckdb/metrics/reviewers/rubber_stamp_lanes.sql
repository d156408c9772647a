-- Per reviewer and lane, within each group of the cut (the g_* columns of reviewer_decisions;
-- over the whole window, not per bucket):
-- how many decisions, how many approvals, and the median time taken, for the rubber-stamp
-- check (compared with lane_decision_speed of the same group). Filters as the reviewers.
SELECT actor_id AS reviewer, lane,
       CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
       CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
       CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
       CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
       CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
       count(*) AS decisions,
       count(*) FILTER (WHERE decision = 'approve') AS approvals,
       count(seconds) AS timed,
       quantile_cont(seconds, 0.5) AS seconds_p50
FROM decision_facts
WHERE {{cut.filters(reviewer=actor_id, time=ts)}}
GROUP BY ALL
ORDER BY ALL;
