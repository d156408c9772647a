-- Case-level quality counts per cut: override rate and rework rate numerators and denominators
-- (definitions: docs/metrics/quality.md).
-- Cases are attributed to the bucket of their created_at; filters apply to case attributes,
-- `reviewer` to the actor of the final human decision.
SELECT
  CASE WHEN list_contains($group_by, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN list_contains($group_by, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN list_contains($group_by, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN list_contains($group_by, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN list_contains($group_by, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN list_contains($group_by, 'reviewer') THEN final_reviewer END       AS g_reviewer,
  date_trunc($bucket, created_at)                                              AS g_bucket,
  count(*)                                                                      AS cases,
  count(*) FILTER (WHERE final_decision IS NOT NULL)                            AS human_decided,
  count(*) FILTER (WHERE final_decision IS NOT NULL
                   AND (final_decision = 'override'
                        OR (final_label IS NOT NULL AND model_label IS NOT NULL AND final_label <> model_label))) AS overridden,
  count(*) FILTER (WHERE closed_at IS NOT NULL)                                  AS closed,
  -- a reopen stamped before the first close (clock skew, bad data) is not rework of a closed case
  count(*) FILTER (WHERE closed_at IS NOT NULL AND last_reopened_at > first_closed_at) AS reworked
FROM case_facts
WHERE ($workflow IS NULL OR workflow = $workflow)
  AND ($tier IS NULL OR tier = $tier)
  AND ($lane IS NULL OR lane = $lane)
  AND ($model_version IS NULL OR model_version = $model_version)
  AND ($policy_version IS NULL OR policy_version = $policy_version)
  AND ($reviewer IS NULL OR final_reviewer = $reviewer)
  AND ($from IS NULL OR created_at >= $from)
  AND ($to IS NULL OR created_at < $to)
GROUP BY ALL
ORDER BY ALL;
