-- The median time a decision takes in each lane, over every reviewer: the yardstick a
-- reviewer's speed is judged against. Same filters as the reviewers, except the reviewer.
-- quantileExactInclusive is DuckDB's quantile_cont (linear interpolation, Hyndman-Fan type 7).
SELECT lane, count(seconds) AS timed, quantileExactInclusive(0.5)(seconds) AS seconds_p50
FROM {database}.decision_facts
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY lane
ORDER BY lane;
