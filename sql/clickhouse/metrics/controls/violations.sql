-- Silent exceptions: one row per (control, case) that broke a control, with the case's cut
-- attributes. Twin of sql/duckdb/metrics/controls/violations.sql (its ASOF join pairs each stop with the
-- next resume here too, as in metrics/quality/stop_the_line). Stops come from log_events, decisions from
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
-- decisions, not the hours a stop spans (issue 13). The DuckDB twin gives the same cases with a
-- hash join on the workflow and the stop's range (DuckDB's ASOF join sorts every decision);
-- ClickHouse's ASOF join is already a hash join on the workflow with a sorted look-up per key.
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
-- the controls read off case_facts alone, all in one read of it: each case's broken controls
-- unrolled by ARRAY JOIN, with its cut attributes (a SELECT per control read case_facts four
-- times, and the join back to case_facts a fifth)
own AS (
  SELECT v.1 AS control, case_id, v.2 AS detected_at, workflow, tier, lane, model_version, policy_version, final_reviewer, created_at
  FROM (
    SELECT arrayJoin(arrayFilter(x -> x.3, [
      ('high_risk_auto_approved', triaged_at, ifNull(lane = 'auto_approve' AND hasAny(risk_signals, ['pii', 'phi', 'access_change', 'financial', 'legal']), false)),
      ('executed_without_approver', closed_at, ifNull(outcome = 'executed' AND (lane = 'approval' OR tier = 3) AND NOT approver_approved, false)),
      ('dual_review_single_reviewer', closed_at, ifNull(lane = 'dual_review' AND closed_at IS NOT NULL AND distinct_reviewers < 2, false)),
      ('override_without_reason', final_decided_at, ifNull(override_without_reason, false)),
      ('gate_passed_with_failing_check', final_decided_at, ifNull(gate_passed_with_fail, false))
    ])) AS v, case_id, workflow, tier, lane, model_version, policy_version, final_reviewer, created_at
    FROM {database}.case_facts
    WHERE (lane = 'auto_approve' AND hasAny(risk_signals, ['pii', 'phi', 'access_change', 'financial', 'legal']))
       OR (outcome = 'executed' AND (lane = 'approval' OR tier = 3) AND NOT approver_approved)
       OR (lane = 'dual_review' AND closed_at IS NOT NULL AND distinct_reviewers < 2)
       OR override_without_reason OR gate_passed_with_fail
  )
),
-- the controls found elsewhere (decisions), few: their cases' attributes by a join
joined AS (
  SELECT v.control AS control, v.case_id AS case_id, v.detected_at AS detected_at, c.workflow AS workflow, c.tier AS tier, c.lane AS lane,
         c.model_version AS model_version, c.policy_version AS policy_version, c.final_reviewer AS final_reviewer, c.created_at AS created_at
  -- the few violations on the right: ClickHouse builds its hash table from the right side, and
  -- case_facts holds every case (25% faster at 10M events than the other way round)
  FROM {database}.case_facts c
  JOIN (SELECT 'approved_by_creator' AS control, case_id, detected_at FROM creator_approvals
        UNION ALL
        SELECT 'decided_while_line_stopped', case_id, detected_at FROM decided_while_stopped) v ON v.case_id = c.case_id
)
SELECT
  c.control AS control, c.case_id AS case_id, c.detected_at AS detected_at,
  c.workflow AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
  c.policy_version AS policy_version, c.final_reviewer AS final_reviewer,
  {{cut.group_columns(table=c, reviewer=c.final_reviewer, time=c.created_at)}}
FROM (SELECT * FROM own UNION ALL SELECT * FROM joined) c
WHERE {{cut.filters(table=c, reviewer=c.final_reviewer, time=c.created_at)}}
ORDER BY control, case_id;
