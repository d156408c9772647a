-- One case's full audit trail for a post-incident review (docs/review.md#incident): every
-- event in event-time order with the columns that say who did what under which policy, gates
-- and checks included; arrival order breaks ties.
SELECT event_id, type, ts, received_at, workflow, actor_id, actor_role, policy_version, tier,
       model_version, confidence, model_label, risk_signals, lane, rule_ids, sampled, sampling_rate,
       level, decision, final_label, reason_code, gate_id, gate_checks, from_level, to_level,
       "trigger", outcome, verdict, correct_label, severity, attrs
FROM events
WHERE case_id = $case_id
ORDER BY ts, received_at, event_id;
