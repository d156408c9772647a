-- One case's full audit trail for a post-incident review: the twin of sql/duckdb/review/case_trail.sql.
SELECT event_id, type, ts, received_at, workflow, actor_id, actor_role, policy_version, tier,
       model_version, confidence, model_label, risk_signals, lane, rule_ids, sampled, sampling_rate,
       level, decision, final_label, reason_code, gate_id, gate_checks, from_level, to_level,
       trigger, outcome, verdict, correct_label, severity, attrs
FROM {database}.events FINAL
WHERE case_id = {case_id:String}
ORDER BY ts, received_at, event_id;
