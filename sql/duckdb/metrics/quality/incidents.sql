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
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN reviewer END             AS g_reviewer,
  date_trunc($bucket, ts)                                                      AS g_bucket,
  count(*)                                                                      AS incidents,
  histogram(severity)                                                           AS by_severity
FROM incidents
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
