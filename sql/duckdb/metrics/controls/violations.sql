-- Silent exceptions: one row per (control, case) that broke a control, with the case's cut
-- attributes. Rare by nature, so rows (not counts) come back and carry the offending case ids.
WITH
stops AS (
  -- each stop of a workflow's line, paired with the next resume (open-ended while still stopped)
  SELECT s.workflow, s.ts AS stopped_at, r.ts AS resumed_at
  FROM (SELECT workflow, ts FROM log_events WHERE type = 'line.stopped') s
  ASOF LEFT JOIN (SELECT workflow, ts FROM log_events WHERE type = 'line.resumed') r ON s.workflow = r.workflow AND s.ts < r.ts
),
-- decisions come from decision_facts (one row per review.decided of a created case): a sixth of
-- the events, already joined to their case's workflow. A decision was decided while stopped if
-- a stop of its workflow began at or before it and had not been resumed by then: a hash join
-- on the workflow with that range as its condition. Each decision is compared with its
-- workflow's stops only (stops are rare: 113 at 1M events), so the work follows the decisions
-- and not the hours a stop spans (issue 13: a stop listed once per hour up to a decision dated
-- 9999 was 70 million rows). An ASOF join to the latest stop gives the same cases (an earlier
-- stop still open then has the same resume) but sorts every decision: 3-5x the CPU at 1M
-- events, and still ~1.5x at 10x the decisions and stops.
decided_while_stopped AS (
  SELECT d.case_id, min(d.ts) AS detected_at
  FROM decision_facts d
  JOIN stops s ON s.workflow = d.workflow AND d.ts >= s.stopped_at AND d.ts < coalesce(s.resumed_at, 'infinity'::TIMESTAMP)
  GROUP BY d.case_id
),
approved_by_creator AS (
  SELECT case_id, min(ts) AS detected_at FROM decision_facts WHERE approved_by_creator GROUP BY case_id
),
violations AS (
  SELECT 'high_risk_auto_approved' AS control, case_id, triaged_at AS detected_at FROM case_facts
   WHERE lane = 'auto_approve' AND list_has_any(risk_signals, ['pii', 'phi', 'access_change', 'financial', 'legal'])
  UNION ALL
  SELECT 'executed_without_approver', case_id, closed_at FROM case_facts
   WHERE outcome = 'executed' AND (lane = 'approval' OR tier = 3) AND NOT approver_approved
  UNION ALL
  SELECT 'dual_review_single_reviewer', case_id, closed_at FROM case_facts
   WHERE lane = 'dual_review' AND closed_at IS NOT NULL AND distinct_reviewers < 2
  UNION ALL
  SELECT 'approved_by_creator', case_id, detected_at FROM approved_by_creator
  UNION ALL
  SELECT 'override_without_reason', case_id, final_decided_at FROM case_facts WHERE override_without_reason
  UNION ALL
  SELECT 'gate_passed_with_failing_check', case_id, final_decided_at FROM case_facts WHERE gate_passed_with_fail
  UNION ALL
  SELECT 'decided_while_line_stopped', case_id, detected_at FROM decided_while_stopped
)
SELECT
  v.control, v.case_id, v.detected_at,
  c.workflow, c.tier, c.lane, c.model_version, c.policy_version, c.final_reviewer,
  {{cut.group_columns(table=c, reviewer=c.final_reviewer, time=c.created_at)}}
FROM violations v JOIN case_facts c USING (case_id)
WHERE {{cut.filters(table=c, reviewer=c.final_reviewer, time=c.created_at)}}
ORDER BY v.control, v.case_id;
