-- Escalation volume per cut (docs/metrics/quality.md#escalations): one count per case.escalated
-- event, bucketed and windowed by the escalation's own ts. Twin of sql/duckdb/quality_escalations.sql;
-- DuckDB's histogram() is a key-sorted list of {key, value}, built here from sumMap.
-- The case's dimensions come from escalation_facts (one row per escalated case): case_known
-- says whether its case.created has arrived; the escalations themselves from log_events.
WITH esc AS (
  SELECT if(f.case_known, f.workflow, e.workflow) AS workflow, f.tier AS tier, f.lane AS lane, f.model_version AS model_version,
         f.policy_version AS policy_version, e.actor_id AS reviewer, e.ts AS ts, e.to_level AS to_level, e.trigger AS trigger
  FROM {database}.log_events AS e JOIN {database}.escalation_facts AS f ON f.case_id = e.case_id
  WHERE e.type = 'case.escalated'
)
SELECT
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN reviewer END       AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(ts),
          {bucket:Nullable(String)} = 'day', toStartOfDay(ts),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(ts), 'UTC'), NULL) AS g_bucket,
  count()                                                                       AS escalations,
  arrayMap((k, n) -> CAST((k, n), 'Tuple(key UInt8, value UInt64)'),
           mapKeys(sumMapIf(map(assumeNotNull(to_level), toUInt64(1)), to_level IS NOT NULL) AS lm), mapValues(lm)) AS by_level,
  arrayMap((k, n) -> CAST((k, n), 'Tuple(key String, value UInt64)'),
           mapKeys(sumMapIf(map(toString(assumeNotNull(trigger)), toUInt64(1)), trigger IS NOT NULL) AS tm), mapValues(tm)) AS by_trigger
FROM esc
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR ts < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
