-- One case's audit trail in event-time order; arrival order breaks ties.
SELECT event_id, type, ts, received_at, actor_id, actor_role, lane, level, decision,
       final_label, reason_code, gate_id, gate_checks, from_level, to_level, "trigger",
       outcome, verdict, correct_label, attrs
FROM events
WHERE case_id = $case_id
ORDER BY ts, received_at, event_id;
