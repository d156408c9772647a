-- Escalation precision per cut (docs/metrics/quality.md#escalation-precision): of the escalated
-- cases that a decision at the top level has resolved, how many it resolved differently from
-- what the levels below proposed. Twin of sql/duckdb/quality_escalation_precision.sql.
-- DuckDB's arg_max_null (NULLs count) is argMax over a one-element tuple, which is never NULL.
WITH
ev AS (SELECT * FROM {database}.events FINAL WHERE case_id IS NOT NULL),
esc AS (
  SELECT case_id, max(to_level) AS top_level, min(ts) AS first_escalated_at,
         argMin(actor_id, (ts, event_id)) AS reviewer, argMin(workflow, (ts, event_id)) AS event_workflow
  FROM ev WHERE type = 'case.escalated' GROUP BY case_id
),
decided AS (
  SELECT d.case_id AS case_id, d.ts AS ts, d.event_id AS event_id, coalesce(d.level, 1) AS level, d.decision AS decision,
         d.final_label AS final_label, esc.top_level AS top_level
  FROM ev d JOIN esc ON esc.case_id = d.case_id
  WHERE d.type = 'review.decided'
),
-- the latest settling decision at or above the level the case was escalated to
top AS (
  SELECT case_id, max(ts) AS top_at,
         argMax(decision, (ts, event_id))               AS top_decision,
         argMax(tuple(final_label), (ts, event_id)).1   AS top_label
  FROM decided WHERE decision != 'escalate' AND level >= top_level GROUP BY case_id
),
-- what the levels below had on the table when the top level decided
below AS (
  SELECT d.case_id AS case_id,
         argMax(d.final_label, (d.ts, d.event_id)) AS lower_label,
         argMax(d.decision, (d.ts, d.event_id))    AS lower_decision
  FROM decided d JOIN top ON top.case_id = d.case_id
  WHERE d.level < d.top_level AND d.ts <= top.top_at
  GROUP BY d.case_id
),
judged AS (
  SELECT coalesce(c.workflow, esc.event_workflow) AS workflow, c.tier AS tier, c.lane AS lane,
         c.model_version AS model_version, c.policy_version AS policy_version,
         esc.reviewer AS reviewer, esc.first_escalated_at AS first_escalated_at,
         top.top_decision IS NOT NULL AS resolved,
         multiIf(
           top.top_decision IS NULL, NULL,
           top.top_decision = 'reject', coalesce(below.lower_decision, '') != 'reject',
           below.lower_decision = 'reject', true,
           top.top_label IS NOT NULL AND coalesce(below.lower_label, c.model_label) IS NOT NULL,
             top.top_label != coalesce(below.lower_label, c.model_label),
           -- nothing to compare labels on: only an explicit override is a change
           top.top_decision = 'override') AS changed
  FROM esc
  LEFT JOIN top ON top.case_id = esc.case_id
  LEFT JOIN below ON below.case_id = esc.case_id
  LEFT JOIN {database}.case_facts c ON c.case_id = esc.case_id
)
SELECT
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN reviewer END             AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(first_escalated_at),
          {bucket:Nullable(String)} = 'day', toStartOfDay(first_escalated_at),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(first_escalated_at), 'UTC'), NULL) AS g_bucket,
  count()                                                                       AS escalated_cases,
  countIf(resolved)                                                             AS resolved,
  countIf(changed)                                                              AS changed
FROM judged
WHERE ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR first_escalated_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR first_escalated_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
