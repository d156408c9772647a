-- Escalation precision per cut (docs/metrics/quality.md#escalation-precision): of the escalated
-- cases that a decision at the top level has resolved, how many it resolved differently from
-- what the levels below proposed. Bucketed and windowed by the case's first escalation ts;
-- `reviewer` is the actor of that first escalation. Levels missing on a decision read as 1.
WITH esc AS (
  SELECT case_id, max(to_level) AS top_level, min(ts) AS first_escalated_at,
         arg_min(actor_id, (ts, event_id)) AS reviewer, arg_min(workflow, (ts, event_id)) AS event_workflow
  FROM events WHERE type = 'case.escalated' GROUP BY case_id
),
decided AS (
  SELECT d.case_id, d.ts, d.event_id, coalesce(d.level, 1) AS level, d.decision, d.final_label, esc.top_level
  FROM events d JOIN esc USING (case_id)
  WHERE d.type = 'review.decided'
),
-- the latest settling decision at or above the level the case was escalated to
top AS (
  SELECT case_id, max(ts) AS top_at,
         arg_max(decision, (ts, event_id))         AS top_decision,
         arg_max_null(final_label, (ts, event_id)) AS top_label
  FROM decided WHERE decision <> 'escalate' AND level >= top_level GROUP BY case_id
),
-- what the levels below had on the table when the top level decided
below AS (
  SELECT d.case_id,
         arg_max(d.final_label, (d.ts, d.event_id)) AS lower_label,
         arg_max(d.decision, (d.ts, d.event_id))    AS lower_decision
  FROM decided d JOIN top USING (case_id)
  WHERE d.level < d.top_level AND d.ts <= top.top_at
  GROUP BY d.case_id
),
judged AS (
  SELECT coalesce(c.workflow, esc.event_workflow) AS workflow, c.tier, c.lane, c.model_version, c.policy_version,
         esc.reviewer, esc.first_escalated_at,
         top.top_decision IS NOT NULL AS resolved,
         CASE
           WHEN top.top_decision IS NULL THEN NULL
           WHEN top.top_decision = 'reject' THEN coalesce(below.lower_decision, '') <> 'reject'
           WHEN below.lower_decision = 'reject' THEN true
           WHEN top.top_label IS NOT NULL AND coalesce(below.lower_label, c.model_label) IS NOT NULL
             THEN top.top_label <> coalesce(below.lower_label, c.model_label)
           -- nothing to compare labels on: only an explicit override is a change
           ELSE top.top_decision = 'override'
         END AS changed
  FROM esc
  LEFT JOIN top USING (case_id)
  LEFT JOIN below USING (case_id)
  LEFT JOIN case_facts c USING (case_id)
)
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
FROM judged
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
