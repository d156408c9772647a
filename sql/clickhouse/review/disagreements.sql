-- Cases whose raters disagreed: the twin of sql/duckdb/review/disagreements.sql. The latest
-- reason code keeps a NULL (argMax over a tuple: a bare Nullable would be skipped).
WITH pairs AS (
  SELECT p.case_id AS case_id, p.reviewer_a AS reviewer_a, p.reviewer_b AS reviewer_b, p.label_a AS label_a, p.label_b AS label_b,
         p.workflow AS workflow, p.tier AS tier, p.lane AS lane, p.created_at AS created_at
  FROM {database}.case_rating_pairs p
  WHERE p.label_a != p.label_b
    AND {{cut.filters(table=p, reviewer=none, time=p.created_at)}}
    AND ({reviewer:Nullable(String)} IS NULL OR p.reviewer_a = {reviewer:Nullable(String)} OR p.reviewer_b = {reviewer:Nullable(String)})
),
reasons AS (
  SELECT case_id, actor_id, argMax(tuple(reason_code), (ts, event_id)).1 AS reason_code
  FROM {database}.events FINAL
  WHERE type IN ('review.decided', 'audit.completed') AND case_id IN (SELECT case_id FROM pairs)
  GROUP BY case_id, actor_id
)
SELECT p.case_id AS case_id, p.workflow AS workflow, p.tier AS tier, p.lane AS lane, p.created_at AS created_at,
       p.reviewer_a AS reviewer_a, p.label_a AS label_a, ra.reason_code AS reason_a,
       p.reviewer_b AS reviewer_b, p.label_b AS label_b, rb.reason_code AS reason_b,
       c.model_label AS model_label, c.final_label AS final_label, c.audit_verdict AS audit_verdict,
       multiIf(c.audit_verdict = 'incorrect', c.audit_correct_label, c.audit_verdict = 'correct', c.final_label, NULL) AS adjudicated_label
FROM pairs p
JOIN {database}.case_facts c ON c.case_id = p.case_id
LEFT JOIN reasons ra ON ra.case_id = p.case_id AND ra.actor_id = p.reviewer_a
LEFT JOIN reasons rb ON rb.case_id = p.case_id AND rb.actor_id = p.reviewer_b
ORDER BY created_at, case_id, reviewer_a, reviewer_b
SETTINGS join_use_nulls = 1;
