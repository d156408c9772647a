-- loopwatch: sort by created_at
-- case_facts: the twin of sql/duckdb/derived/0001_case_facts.sql (one row per case with what the
-- metric queries need), rebuilt before each metric run. Every "latest" is by event time, ties
-- broken by event_id, never by arrival. DuckDB joins one aggregate per event type; here it is one
-- GROUP BY with -If combinators: ClickHouse inlines CTEs, so each would scan events again.
-- FINAL: exact before merges. -OrNull: NULL, not 1970, where DuckDB's FILTER finds no row.
-- CREATE OR REPLACE builds the new table and swaps it in, so readers never see it half built.
CREATE OR REPLACE TABLE {database}.case_facts_delta ENGINE = {derived_engine} AS
WITH per_case AS (
  SELECT
    case_id,
    argMinIf(workflow, (ts, event_id), type = 'case.created')        AS workflow,
    argMinIf(tier, (ts, event_id), type = 'case.created')            AS tier,
    argMinIf(model_version, (ts, event_id), type = 'case.created')   AS model_version,
    argMinIf(policy_version, (ts, event_id), type = 'case.created')  AS policy_version,
    argMinIf(confidence, (ts, event_id), type = 'case.created')      AS confidence,
    argMinIf(model_label, (ts, event_id), type = 'case.created')     AS model_label,
    argMinIf(risk_signals, (ts, event_id), type = 'case.created')    AS risk_signals,
    argMinIf(actor_id, (ts, event_id), type = 'case.created')        AS creator_id,
    minIfOrNull(ts, type = 'case.created')                           AS created_at,
    countIf(type = 'case.created')                                   AS created_events,
    -- the earliest case.created that carries features (drift_features, case_features)
    argMinIf(features, (ts, event_id), type = 'case.created' AND features IS NOT NULL) AS features,

    argMaxIf(lane, (ts, event_id), type = 'case.triaged')            AS lane,
    argMaxIf(sampled, (ts, event_id), type = 'case.triaged')         AS sampled,
    argMaxIf(sampling_rate, (ts, event_id), type = 'case.triaged')   AS triage_sampling_rate,
    minIfOrNull(ts, type = 'case.triaged')                           AS triaged_at,

    minIfOrNull(ts, type = 'review.assigned')                        AS first_assigned_at,
    minIfOrNull(ts, type = 'review.acknowledged')                    AS first_ack_at,
    minIfOrNull(ts, type = 'review.decided')                         AS first_decided_at,
    countIf(type = 'review.decided')                                 AS decisions,
    uniqExactIf(actor_id, type = 'review.decided' AND decision != 'escalate') AS distinct_reviewers,
    -- the final human decision: the latest that settles the case (escalate hands it on)
    argMaxIf(decision, (ts, event_id), type = 'review.decided' AND decision != 'escalate')    AS final_decision,
    argMaxIf(actor_id, (ts, event_id), type = 'review.decided' AND decision != 'escalate')    AS final_reviewer,
    argMaxIf(level, (ts, event_id), type = 'review.decided' AND decision != 'escalate')       AS final_level,
    argMaxIf(final_label, (ts, event_id), type = 'review.decided' AND decision != 'escalate') AS decided_label,
    maxIfOrNull(ts, type = 'review.decided' AND decision != 'escalate')                      AS final_decided_at,
    countIf(type = 'review.decided' AND decision IN ('approve', 'override') AND (actor_role = 'approver' OR level >= 2)) > 0 AS approver_approved,
    countIf(type = 'review.decided' AND decision = 'override') > 0                           AS any_override,
    countIf(type = 'review.decided' AND decision = 'override' AND reason_code IS NULL) > 0   AS override_without_reason,
    countIf(type = 'review.decided' AND decision = 'approve' AND gate_checks IS NOT NULL
            AND has(mapValues(JSONExtract(assumeNotNull(gate_checks), 'Map(String, String)')), 'fail')) > 0 AS gate_passed_with_fail,

    countIf(type = 'case.escalated')                                 AS escalations,
    minIfOrNull(ts, type = 'case.escalated')                         AS first_escalated_at,
    maxIfOrNull(to_level, type = 'case.escalated')                   AS max_to_level,

    countIf(type = 'case.reopened')                                  AS reopens,
    maxIfOrNull(ts, type = 'case.reopened')                          AS last_reopened_at,
    maxIfOrNull(ts, type = 'case.closed')                            AS closed_at,
    minIfOrNull(ts, type = 'case.closed')                            AS first_closed_at,
    argMaxIf(outcome, (ts, event_id), type = 'case.closed')          AS outcome,
    argMaxIf(final_label, (ts, event_id), type = 'case.closed')      AS closed_label,

    countIf(type = 'audit.completed')                                AS audits,
    argMaxIf(verdict, (ts, event_id), type = 'audit.completed')      AS audit_verdict,
    argMaxIf(sampling_rate, (ts, event_id), type = 'audit.completed') AS audit_sampling_rate,
    argMaxIf(correct_label, (ts, event_id), type = 'audit.completed') AS audit_correct_label,
    maxIfOrNull(ts, type = 'audit.completed')                        AS last_audited_at
  FROM {delta_events}
  WHERE case_id IS NOT NULL
  GROUP BY case_id
  -- a case without case.created has no known workflow or tier: left out, as on DuckDB
  HAVING created_events > 0
)
SELECT
  case_id, workflow, tier, model_version, policy_version, confidence, model_label,
  risk_signals, creator_id, created_at,
  lane, sampled, triage_sampling_rate, triaged_at,
  first_assigned_at, first_ack_at, first_decided_at, decisions,
  distinct_reviewers, final_decision, final_reviewer, final_level,
  final_decided_at, CAST(approver_approved AS Bool) AS approver_approved,
  CAST(any_override AS Bool) AS any_override, CAST(override_without_reason AS Bool) AS override_without_reason,
  CAST(gate_passed_with_fail AS Bool) AS gate_passed_with_fail,
  coalesce(closed_label, decided_label) AS final_label,
  escalations, first_escalated_at, max_to_level,
  reopens, closed_at, first_closed_at, outcome,
  -- closed unless a reopen came after the last close (in event time)
  CAST(closed_at IS NOT NULL AND (last_reopened_at IS NULL OR last_reopened_at <= closed_at) AS Bool) AS is_closed,
  audits, audit_verdict, audit_sampling_rate, audit_correct_label,
  last_reopened_at, last_audited_at,
  features
FROM per_case;
