-- The median time a decision takes in each lane, over every reviewer of each group of the cut
-- (the g_* columns of reviewer_decisions but the reviewer, over the whole window, not per
-- bucket): the yardstick a reviewer's speed is judged against, so a reviewer of one workflow
-- is compared with that workflow's lanes.
-- Same filters as the reviewers, except the reviewer.
-- quantileExactInclusive is DuckDB's quantile_cont (linear interpolation, Hyndman-Fan type 7).
SELECT lane,
       CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
       CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
       CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
       CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
       CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
       count(seconds) AS timed, quantileExactInclusive(0.5)(seconds) AS seconds_p50
FROM {database}.decision_facts
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
