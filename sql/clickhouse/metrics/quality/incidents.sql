-- Incidents per cut (docs/metrics/quality.md#incidents): incident.reported events bucketed and
-- windowed by their ts, with the linked case's dimensions. Twin of sql/duckdb/metrics/quality/incidents.sql;
-- the incidents come from the derived log_events.
WITH incidents AS (
  SELECT coalesce(c.workflow, i.workflow) AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
         c.policy_version AS policy_version, c.final_reviewer AS reviewer, i.ts AS ts, i.severity AS severity
  FROM {database}.log_events AS i LEFT JOIN {database}.case_facts AS c ON c.case_id = i.case_id
  WHERE i.type = 'incident.reported'
)
SELECT
  {{cut.group_columns(time=ts)}},
  count()                                                                       AS incidents,
  arrayMap((k, n) -> CAST((k, n), 'Tuple(key String, value UInt64)'),
           mapKeys(sumMapIf(map(toString(assumeNotNull(severity)), toUInt64(1)), severity IS NOT NULL) AS sm), mapValues(sm)) AS by_severity
FROM incidents
WHERE {{cut.filters(time=ts)}}
GROUP BY ALL
ORDER BY ALL;
