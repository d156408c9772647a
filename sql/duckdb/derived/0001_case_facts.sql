-- Each file builds a TEMP `<table>_delta` for the cases being rebuilt; the refresh
-- (src/store/duckdb/derived.ts) merges it into the kept table in the schema loopwatch_derived.
-- case_facts: one row per case with everything the metric queries need, rebuilt by the job
-- runner before each run so that a dozen metric queries scan cases, not events.
-- Every "latest" is by event time (ts), ties broken by event_id, never by arrival.
CREATE OR REPLACE TEMP TABLE case_facts_delta AS
WITH
created AS (
  SELECT case_id,
         arg_min(workflow, (ts, event_id))       AS workflow,
         arg_min(tier, (ts, event_id))           AS tier,
         arg_min(model_version, (ts, event_id))  AS model_version,
         arg_min(policy_version, (ts, event_id)) AS policy_version,
         arg_min(confidence, (ts, event_id))     AS confidence,
         arg_min(model_label, (ts, event_id))    AS model_label,
         arg_min(risk_signals, (ts, event_id))   AS risk_signals,
         arg_min(actor_id, (ts, event_id))       AS creator_id,
         min(ts)                                 AS created_at,
         -- the earliest case.created that carries features (drift_features)
         arg_min(features, (ts, event_id)) FILTER (WHERE features IS NOT NULL) AS features
  FROM delta_events WHERE type = 'case.created' GROUP BY case_id
),
triaged AS (
  SELECT case_id,
         arg_max(lane, (ts, event_id))          AS lane,
         arg_max(sampled, (ts, event_id))       AS sampled,
         arg_max(sampling_rate, (ts, event_id)) AS triage_sampling_rate,
         min(ts)                                AS triaged_at
  FROM delta_events WHERE type = 'case.triaged' GROUP BY case_id
),
reviews AS (
  SELECT case_id,
         min(ts) FILTER (WHERE type = 'review.assigned')     AS first_assigned_at,
         min(ts) FILTER (WHERE type = 'review.acknowledged') AS first_ack_at,
         min(ts) FILTER (WHERE type = 'review.decided')      AS first_decided_at,
         count(*) FILTER (WHERE type = 'review.decided')     AS decisions,
         count(DISTINCT actor_id) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate') AS distinct_reviewers,
         -- the final human decision: the latest that settles the case (escalate hands it on)
         arg_max(decision, (ts, event_id)) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')    AS final_decision,
         arg_max(actor_id, (ts, event_id)) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')    AS final_reviewer,
         arg_max(level, (ts, event_id)) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')       AS final_level,
         arg_max(final_label, (ts, event_id)) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate') AS decided_label,
         max(ts) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')                             AS final_decided_at,
         -- approval authority: an approver, or anyone deciding at level 2 or above (approver and
         -- specialist levels); a specialist's settled decision is an authorised one
         bool_or(decision IN ('approve', 'override') AND (actor_role = 'approver' OR level >= 2))
           FILTER (WHERE type = 'review.decided')                                                              AS approver_approved,
         bool_or(decision = 'override') FILTER (WHERE type = 'review.decided')                                 AS any_override,
         bool_or(decision = 'override' AND reason_code IS NULL) FILTER (WHERE type = 'review.decided')         AS override_without_reason,
         bool_or(decision = 'approve' AND gate_checks IS NOT NULL AND list_contains(map_values(gate_checks::JSON::MAP(VARCHAR, VARCHAR)), 'fail'))
           FILTER (WHERE type = 'review.decided')                                                              AS gate_passed_with_fail
  FROM delta_events WHERE type IN ('review.assigned', 'review.acknowledged', 'review.decided') GROUP BY case_id
),
escalations AS (
  SELECT case_id, count(*) AS escalations, min(ts) AS first_escalated_at, max(to_level) AS max_to_level
  FROM delta_events WHERE type = 'case.escalated' GROUP BY case_id
),
lifecycle AS (
  SELECT case_id,
         count(*) FILTER (WHERE type = 'case.reopened')                  AS reopens,
         max(ts) FILTER (WHERE type = 'case.reopened')                   AS last_reopened_at,
         max(ts) FILTER (WHERE type = 'case.closed')                     AS closed_at,
         min(ts) FILTER (WHERE type = 'case.closed')                     AS first_closed_at,
         arg_max(outcome, (ts, event_id)) FILTER (WHERE type = 'case.closed')     AS outcome,
         arg_max(final_label, (ts, event_id)) FILTER (WHERE type = 'case.closed') AS closed_label
  FROM delta_events WHERE type IN ('case.reopened', 'case.closed') GROUP BY case_id
),
audits AS (
  SELECT case_id,
         count(*)                                      AS audits,
         arg_max(verdict, (ts, event_id))              AS audit_verdict,
         arg_max(sampling_rate, (ts, event_id))        AS audit_sampling_rate,
         arg_max(correct_label, (ts, event_id))        AS audit_correct_label,
         max(ts)                                       AS last_audited_at
  FROM delta_events WHERE type = 'audit.completed' GROUP BY case_id
)
SELECT
  c.case_id, c.workflow, c.tier, c.model_version, c.policy_version, c.confidence, c.model_label,
  c.risk_signals, c.creator_id, c.created_at,
  t.lane, t.sampled, t.triage_sampling_rate, t.triaged_at,
  r.first_assigned_at, r.first_ack_at, r.first_decided_at, coalesce(r.decisions, 0) AS decisions,
  coalesce(r.distinct_reviewers, 0) AS distinct_reviewers, r.final_decision, r.final_reviewer, r.final_level,
  r.final_decided_at, coalesce(r.approver_approved, false) AS approver_approved,
  coalesce(r.any_override, false) AS any_override, coalesce(r.override_without_reason, false) AS override_without_reason,
  coalesce(r.gate_passed_with_fail, false) AS gate_passed_with_fail,
  coalesce(l.closed_label, r.decided_label) AS final_label,
  coalesce(e.escalations, 0) AS escalations, e.first_escalated_at, e.max_to_level,
  coalesce(l.reopens, 0) AS reopens, l.closed_at, l.first_closed_at, l.outcome,
  -- closed unless a reopen came after the last close (in event time)
  (l.closed_at IS NOT NULL AND (l.last_reopened_at IS NULL OR l.last_reopened_at <= l.closed_at)) AS is_closed,
  coalesce(a.audits, 0) AS audits, a.audit_verdict, a.audit_sampling_rate, a.audit_correct_label,
  -- appended for the quality family: a reopen counts as rework only after a close, and an
  -- audit judges a human acceptance only if it came after it
  l.last_reopened_at, a.last_audited_at,
  c.features
FROM created c
LEFT JOIN triaged t USING (case_id)
LEFT JOIN reviews r USING (case_id)
LEFT JOIN escalations e USING (case_id)
LEFT JOIN lifecycle l USING (case_id)
LEFT JOIN audits a USING (case_id);
