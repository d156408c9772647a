-- Incidents per cut (docs/metrics/quality.md#incidents): incident.reported events bucketed and
-- windowed by their ts, with the linked case's dimensions. Twin of sql/duckdb/quality_incidents.sql;
-- the incidents come from the derived log_events.
WITH incidents AS (
  SELECT coalesce(c.workflow, i.workflow) AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
         c.policy_version AS policy_version, c.final_reviewer AS reviewer, i.ts AS ts, i.severity AS severity
  FROM {database}.log_events AS i LEFT JOIN {database}.case_facts AS c ON c.case_id = i.case_id
  WHERE i.type = 'incident.reported'
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
  count()                                                                       AS incidents,
  arrayMap((k, n) -> CAST((k, n), 'Tuple(key String, value UInt64)'),
           mapKeys(sumMapIf(map(toString(assumeNotNull(severity)), toUInt64(1)), severity IS NOT NULL) AS sm), mapValues(sm)) AS by_severity
FROM incidents
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
