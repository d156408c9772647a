-- The median time a decision takes in each lane, over every reviewer: the yardstick a
-- reviewer's speed is judged against. Same filters as the reviewers, except the reviewer.
SELECT lane, count(seconds) AS timed, quantile_cont(seconds, 0.5) AS seconds_p50
FROM decision_facts
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($from IS NULL OR ts >= $from)
  AND ($to IS NULL OR ts < $to)
GROUP BY lane
ORDER BY lane;
