-- Cases whose raters disagreed (docs/review.md#disagreements): every pair of raters of a case
-- with different labels (the derived case_rating_pairs), with each rater's latest reason code on
-- the case and what an audit settled, so that a lead can adjudicate. Cut by the case's
-- created_at; the reviewer filter matches either rater of the pair.
WITH pairs AS (
  SELECT p.case_id, p.reviewer_a, p.reviewer_b, p.label_a, p.label_b, p.workflow, p.tier, p.lane, p.created_at
  FROM case_rating_pairs p
  WHERE p.label_a <> p.label_b
    AND {{cut.filters(table=p, reviewer=none, time=p.created_at)}}
    AND ($reviewer IS NULL OR p.reviewer_a = $reviewer OR p.reviewer_b = $reviewer)
),
reasons AS (
  -- the rater's latest rating event of the case: its reason code, NULL included
  SELECT case_id, actor_id, arg_max_null(reason_code, (ts, event_id)) AS reason_code
  FROM events
  WHERE type IN ('review.decided', 'audit.completed') AND case_id IN (SELECT case_id FROM pairs)
  GROUP BY case_id, actor_id
)
SELECT p.case_id, p.workflow, p.tier, p.lane, p.created_at,
       p.reviewer_a, p.label_a, ra.reason_code AS reason_a,
       p.reviewer_b, p.label_b, rb.reason_code AS reason_b,
       c.model_label, c.final_label, c.audit_verdict,
       -- an audit settles the case: its correction, or the label it endorsed
       CASE c.audit_verdict WHEN 'incorrect' THEN c.audit_correct_label WHEN 'correct' THEN c.final_label END AS adjudicated_label
FROM pairs p
JOIN case_facts c ON c.case_id = p.case_id
LEFT JOIN reasons ra ON ra.case_id = p.case_id AND ra.actor_id = p.reviewer_a
LEFT JOIN reasons rb ON rb.case_id = p.case_id AND rb.actor_id = p.reviewer_b
ORDER BY p.created_at, p.case_id, p.reviewer_a, p.reviewer_b;
