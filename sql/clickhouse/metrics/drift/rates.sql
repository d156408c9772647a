-- Drift: override and escalation counts per cut group (per hour with bucket = 'hour'), over one
-- window (docs/metrics/drift.md). Twin of sql/duckdb/drift_rates.sql.
SELECT
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN final_reviewer END       AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(created_at),
          {bucket:Nullable(String)} = 'day', toStartOfDay(created_at),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(created_at), 'UTC'), NULL) AS g_bucket,
  count()                                                                           AS cases,
  countIf(final_decision IS NOT NULL)                                               AS human_decided,
  countIf(final_decision IS NOT NULL
          AND (final_decision = 'override'
               OR (final_label IS NOT NULL AND model_label IS NOT NULL AND final_label != model_label))) AS overridden,
  countIf(escalations > 0)                                                          AS escalated
FROM {database}.case_facts
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR final_reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
