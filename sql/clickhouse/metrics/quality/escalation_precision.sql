-- Escalation precision per cut (docs/metrics/quality.md#escalation-precision): of the escalated
-- cases that a decision at the top level has resolved, how many it resolved differently from
-- what the levels below proposed (judged per case in the derived escalation_facts). Twin of
-- sql/duckdb/quality_escalation_precision.sql: bucketed and windowed by the case's first
-- escalation ts; `reviewer` is the actor of that first escalation.
SELECT
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN reviewer END             AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(first_escalated_at),
          {bucket:Nullable(String)} = 'day', toStartOfDay(first_escalated_at),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(first_escalated_at), 'UTC'), NULL) AS g_bucket,
  count()                                                                       AS escalated_cases,
  countIf(resolved)                                                             AS resolved,
  countIf(changed)                                                              AS changed
FROM {database}.escalation_facts
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR first_escalated_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR first_escalated_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
