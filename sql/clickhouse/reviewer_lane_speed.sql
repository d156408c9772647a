-- Per reviewer and lane: how many decisions, how many approvals, and the median time taken,
-- for the rubber-stamp check (compared with lane_decision_speed). Filters as the reviewers.
SELECT actor_id AS reviewer, lane,
       count() AS decisions,
       countIf(decision = 'approve') AS approvals,
       count(seconds) AS timed,
       quantileExactInclusive(0.5)(seconds) AS seconds_p50
FROM {database}.decision_facts
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR actor_id = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
