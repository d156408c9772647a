-- Incidents per cut (docs/metrics/quality.md#incidents): incident.reported events bucketed and
-- windowed by their ts. An incident linked to a case takes the case's dimensions (reviewer: the
-- case's final reviewer); one without a case has only its own workflow, so it matches no
-- filter on another dimension and groups under NULL there.
WITH incidents AS (
  SELECT coalesce(c.workflow, i.workflow) AS workflow, c.tier, c.lane, c.model_version, c.policy_version,
         c.final_reviewer AS reviewer, i.ts, i.severity
  FROM log_events i LEFT JOIN case_facts c USING (case_id)
  WHERE i.type = 'incident.reported'
)
SELECT
  {{cut.group_columns(time=ts)}},
  count(*)                                                                      AS incidents,
  histogram(severity)                                                           AS by_severity
FROM incidents
WHERE {{cut.filters(time=ts)}}
GROUP BY ALL
ORDER BY ALL;
