-- Cases like an incident's case in the days before it: the twin of sql/duckdb/review/similar_cases.sql.
WITH target AS (
  SELECT workflow, model_label, confidence, created_at FROM {database}.case_facts WHERE case_id = {case_id:String}
)
SELECT c.case_id AS case_id, c.created_at AS created_at, c.tier AS tier, c.lane AS lane, c.confidence AS confidence,
       c.model_label AS model_label, c.final_label AS final_label, c.outcome AS outcome,
       c.audit_verdict AS audit_verdict, c.escalations AS escalations, c.reopens AS reopens
FROM {database}.case_facts c CROSS JOIN target t
WHERE c.workflow = t.workflow AND c.model_label = t.model_label AND c.case_id != {case_id:String}
  AND abs(c.confidence - t.confidence) <= 0.05
  AND c.created_at < t.created_at AND c.created_at >= t.created_at - toIntervalDay({window_days:UInt32})
ORDER BY created_at DESC, case_id
LIMIT 50;
