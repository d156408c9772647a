-- Cases like an incident's case in the $window_days before it (docs/review.md#incident): same
-- workflow and model label, confidence within 0.05, with their lane, outcome and audit, newest
-- first, at most 50.
WITH target AS (
  SELECT workflow, model_label, confidence, created_at FROM case_facts WHERE case_id = $case_id
)
SELECT c.case_id, c.created_at, c.tier, c.lane, c.confidence, c.model_label, c.final_label, c.outcome,
       c.audit_verdict, c.escalations, c.reopens
FROM case_facts c, target t
WHERE c.workflow = t.workflow AND c.model_label = t.model_label AND c.case_id <> $case_id
  AND abs(c.confidence - t.confidence) <= 0.05
  AND c.created_at < t.created_at AND c.created_at >= t.created_at - to_days(CAST($window_days AS INTEGER))
ORDER BY c.created_at DESC, c.case_id
LIMIT 50;
