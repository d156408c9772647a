-- Escalation precision per cut (docs/metrics/quality.md#escalation-precision): of the escalated
-- cases that a decision at the top level has resolved, how many it resolved differently from
-- what the levels below proposed (judged per case in the derived escalation_facts). Bucketed
-- and windowed by the case's first escalation ts; `reviewer` is the actor of that first
-- escalation.
SELECT
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN reviewer END             AS g_reviewer,
  date_trunc($bucket, first_escalated_at)                                      AS g_bucket,
  count(*)                                                                      AS escalated_cases,
  count(*) FILTER (WHERE resolved)                                              AS resolved,
  count(*) FILTER (WHERE changed)                                               AS changed
FROM escalation_facts
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR reviewer = $reviewer)
  AND ($from IS NULL OR first_escalated_at >= $from)
  AND ($to IS NULL OR first_escalated_at < $to)
GROUP BY ALL
ORDER BY ALL;
