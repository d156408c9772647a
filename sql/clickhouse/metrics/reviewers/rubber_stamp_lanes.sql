-- Per reviewer and lane, within each group of the cut (the g_* columns of reviewer_decisions;
-- over the whole window, not per bucket):
-- how many decisions, how many approvals, and the median time taken, for the rubber-stamp
-- check (compared with lane_decision_speed of the same group). Filters as the reviewers.
SELECT actor_id AS reviewer, lane,
       CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
       CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
       CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
       CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
       CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
       count() AS decisions,
       countIf(decision = 'approve') AS approvals,
       count(seconds) AS timed,
       quantileExactInclusive(0.5)(seconds) AS seconds_p50
FROM {database}.decision_facts
WHERE {{cut.filters(reviewer=actor_id, time=ts)}}
GROUP BY ALL
ORDER BY ALL;
