-- The median time a decision takes in each lane, over every reviewer of each group of the cut
-- (the g_* columns of reviewer_decisions but the reviewer, over the whole window, not per
-- bucket): the yardstick a reviewer's speed is judged against, so a reviewer of one workflow
-- is compared with that workflow's lanes.
-- Same filters as the reviewers, except the reviewer.
SELECT lane,
       CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
       CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
       CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
       CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
       CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
       count(seconds) AS timed, quantile_cont(seconds, 0.5) AS seconds_p50
FROM decision_facts
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($from IS NULL OR ts >= $from)
  AND ($to IS NULL OR ts < $to)
GROUP BY ALL
ORDER BY ALL;
