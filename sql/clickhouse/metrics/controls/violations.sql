-- Silent exceptions: one row per (control, case) that broke a control, with the case's cut
-- attributes. Twin of sql/duckdb/control_violations.sql (its ASOF join pairs each stop with the
-- next resume here too, as in quality_line_stops). Stops come from log_events, decisions from
-- decision_facts (one row per review.decided of a created case, with its case's workflow).
WITH
stops AS (
  -- each stop of a workflow's line, paired with the next resume (open-ended while still stopped)
  SELECT s.workflow AS workflow, s.ts AS stopped_at, r.ts AS resumed_at
  FROM (SELECT assumeNotNull(workflow) AS workflow, ts FROM {database}.log_events WHERE type = 'line.stopped' AND workflow IS NOT NULL) s
  ASOF LEFT JOIN (SELECT assumeNotNull(workflow) AS workflow, ts FROM {database}.log_events WHERE type = 'line.resumed' AND workflow IS NOT NULL) r
    ON s.workflow = r.workflow AND s.ts < r.ts
),
-- each decision meets only the latest stop of its workflow at or before it (an ASOF join): it
-- was decided while stopped if that stop had not been resumed by then. The cost follows the
-- decisions, not the hours a stop spans (issue 13).
decided_while_stopped AS (
  SELECT d.case_id AS case_id, min(d.ts) AS detected_at
  FROM (SELECT case_id, assumeNotNull(workflow) AS workflow, ts FROM {database}.decision_facts WHERE workflow IS NOT NULL) d
  ASOF JOIN stops s ON s.workflow = d.workflow AND d.ts >= s.stopped_at
  WHERE s.resumed_at IS NULL OR d.ts < s.resumed_at
  GROUP BY d.case_id
),
creator_approvals AS (
  SELECT case_id, min(ts) AS detected_at FROM {database}.decision_facts WHERE approved_by_creator GROUP BY case_id
),
violations AS (
  SELECT 'high_risk_auto_approved' AS control, case_id, triaged_at AS detected_at FROM {database}.case_facts
   WHERE lane = 'auto_approve' AND hasAny(risk_signals, ['pii', 'phi', 'access_change', 'financial', 'legal'])
  UNION ALL
  SELECT 'executed_without_approver', case_id, closed_at FROM {database}.case_facts
   WHERE outcome = 'executed' AND (lane = 'approval' OR tier = 3) AND NOT approver_approved
  UNION ALL
  SELECT 'dual_review_single_reviewer', case_id, closed_at FROM {database}.case_facts
   WHERE lane = 'dual_review' AND closed_at IS NOT NULL AND distinct_reviewers < 2
  UNION ALL
  SELECT 'approved_by_creator', case_id, detected_at FROM creator_approvals
  UNION ALL
  SELECT 'override_without_reason', case_id, final_decided_at FROM {database}.case_facts WHERE override_without_reason
  UNION ALL
  SELECT 'gate_passed_with_failing_check', case_id, final_decided_at FROM {database}.case_facts WHERE gate_passed_with_fail
  UNION ALL
  SELECT 'decided_while_line_stopped', case_id, detected_at FROM decided_while_stopped
)
SELECT
  v.control AS control, v.case_id AS case_id, v.detected_at AS detected_at,
  c.workflow AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
  c.policy_version AS policy_version, c.final_reviewer AS final_reviewer,
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN c.workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN c.tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN c.lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN c.model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN c.policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN c.final_reviewer END       AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(c.created_at),
          {bucket:Nullable(String)} = 'day', toStartOfDay(c.created_at),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(c.created_at), 'UTC'), NULL) AS g_bucket
-- the few violations on the right: ClickHouse builds its hash table from the right side, and
-- case_facts holds every case (25% faster at 10M events than the other way round)
FROM {database}.case_facts c JOIN violations v ON v.case_id = c.case_id
WHERE ({workflow:Nullable(String)} IS NULL OR c.workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR c.tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR c.lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR c.model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR c.policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR c.final_reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR c.created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR c.created_at < {to:Nullable(DateTime64(3, 'UTC'))})
ORDER BY v.control, v.case_id;
