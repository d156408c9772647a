-- Per reviewer and lane: how many decisions, how many approvals, and the median time taken,
-- for the rubber-stamp check (compared with lane_decision_speed). Filters as the reviewers.
SELECT actor_id AS reviewer, lane,
       count(*) AS decisions,
       count(*) FILTER (WHERE decision = 'approve') AS approvals,
       count(seconds) AS timed,
       quantile_cont(seconds, 0.5) AS seconds_p50
FROM decision_facts
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR actor_id = $reviewer)
  AND ($from IS NULL OR ts >= $from)
  AND ($to IS NULL OR ts < $to)
GROUP BY ALL
ORDER BY ALL;
