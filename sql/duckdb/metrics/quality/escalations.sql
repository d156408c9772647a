-- Escalation volume per cut (docs/metrics/quality.md#escalations): one count per case.escalated
-- event, bucketed and windowed by the escalation's own ts. Case dimensions come from the case;
-- `reviewer` is the actor who escalated. An escalation whose case.created has not arrived yet
-- still counts, under its event's workflow, with the other dimensions unknown (NULL).
-- The case's dimensions come from escalation_facts (one row per escalated case, a few percent
-- of case_facts): case_known says whether its case.created has arrived.
WITH esc AS (
  SELECT CASE WHEN f.case_known THEN f.workflow ELSE e.workflow END AS workflow, f.tier, f.lane, f.model_version, f.policy_version,
         e.actor_id AS reviewer, e.ts, e.to_level, e."trigger"
  FROM log_events e JOIN escalation_facts f USING (case_id)
  WHERE e.type = 'case.escalated'
)
SELECT
  {{cut.group_columns(time=ts)}},
  count(*)                                                                      AS escalations,
  histogram(to_level)                                                           AS by_level,
  histogram("trigger")                                                          AS by_trigger
FROM esc
WHERE {{cut.filters(time=ts)}}
GROUP BY ALL
ORDER BY ALL;
