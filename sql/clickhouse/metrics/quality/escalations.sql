-- Escalation volume per cut (docs/metrics/quality.md#escalations): one count per case.escalated
-- event, bucketed and windowed by the escalation's own ts. Twin of sql/duckdb/metrics/quality/escalations.sql;
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
  {{cut.group_columns(time=ts)}},
  count()                                                                       AS escalations,
  arrayMap((k, n) -> CAST((k, n), 'Tuple(key UInt8, value UInt64)'),
           mapKeys(sumMapIf(map(assumeNotNull(to_level), toUInt64(1)), to_level IS NOT NULL) AS lm), mapValues(lm)) AS by_level,
  arrayMap((k, n) -> CAST((k, n), 'Tuple(key String, value UInt64)'),
           mapKeys(sumMapIf(map(toString(assumeNotNull(trigger)), toUInt64(1)), trigger IS NOT NULL) AS tm), mapValues(tm)) AS by_trigger
FROM esc
WHERE {{cut.filters(time=ts)}}
GROUP BY ALL
ORDER BY ALL;
