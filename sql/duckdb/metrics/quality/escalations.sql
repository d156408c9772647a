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
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN reviewer END             AS g_reviewer,
  date_trunc($bucket, ts)                                                      AS g_bucket,
  count(*)                                                                      AS escalations,
  histogram(to_level)                                                           AS by_level,
  histogram("trigger")                                                          AS by_trigger
FROM esc
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR reviewer = $reviewer)
  AND ($from IS NULL OR ts >= $from)
  AND ($to IS NULL OR ts < $to)
GROUP BY ALL
ORDER BY ALL;
