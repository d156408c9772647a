-- Evidence for the triage-threshold what-if (docs/whatif.md), per workflow and confidence bin
-- (thousandths, floor; the 1e-9 keeps 0.57 in bin 570 despite binary rounding): every case created in the cut, those a confidence threshold could move
-- (eligible: triaged auto_approve or human_review and no high-risk signal), and for those the
-- evidence on whether the model's output was wrong: reviewed cases by their human outcome (an
-- audit's label when there is one), auto-approved cases by their QA audit, weighted 1/rate.
WITH cases AS (
  SELECT c.case_id, c.workflow, c.lane, c.confidence, c.model_label,
         c.lane IN ('auto_approve', 'human_review') AND NOT coalesce(list_has_any(c.risk_signals, $high_risk_signals), false) AS eligible,
         CASE
           WHEN c.audit_verdict = 'incorrect' AND c.audit_correct_label IS NOT NULL THEN c.audit_correct_label <> c.model_label
           WHEN c.final_decision = 'reject' THEN true
           WHEN c.final_decision = 'approve' THEN coalesce(c.final_label <> c.model_label, false)
           WHEN c.final_decision = 'override' THEN coalesce(c.final_label <> c.model_label, true)
         END AS human_wrong,
         CASE WHEN c.audit_verdict IS NOT NULL AND c.audit_sampling_rate > 0 THEN 1.0 / c.audit_sampling_rate END AS audit_w,
         c.audit_verdict = 'incorrect' AS audit_wrong
  FROM case_facts c
  WHERE {{cut.filters(table=c, reviewer=none, time=c.created_at)}}
),
seconds AS (
  SELECT case_id, sum(seconds) AS total_seconds, count(seconds) AS timed
  FROM decision_facts WHERE case_id IN (SELECT case_id FROM cases) GROUP BY case_id
)
SELECT c.workflow,
       CAST(floor(c.confidence * 1000 + 1e-9) AS INTEGER)                                                   AS bin,
       count(*)                                                                                      AS cases,
       count(*) FILTER (WHERE lane NOT IN ('auto_approve', 'reject'))                                AS human_lane_cases,
       count(*) FILTER (WHERE eligible)                                                              AS eligible,
       count(*) FILTER (WHERE eligible AND lane = 'auto_approve')                                    AS auto_cases,
       count(*) FILTER (WHERE eligible AND lane = 'human_review')                                    AS reviewed_cases,
       count(*) FILTER (WHERE eligible AND lane = 'human_review' AND human_wrong IS NOT NULL)        AS human_n,
       count(*) FILTER (WHERE eligible AND lane = 'human_review' AND human_wrong)                    AS human_wrong,
       count(*) FILTER (WHERE eligible AND lane = 'auto_approve' AND audit_w IS NOT NULL)            AS audit_n,
       coalesce(sum(audit_w) FILTER (WHERE eligible AND lane = 'auto_approve'), 0)                   AS audit_w,
       coalesce(sum(audit_w) FILTER (WHERE eligible AND lane = 'auto_approve' AND audit_wrong), 0)   AS audit_wy,
       coalesce(sum(audit_w * audit_w) FILTER (WHERE eligible AND lane = 'auto_approve'), 0)         AS audit_w2,
       coalesce(sum(s.total_seconds) FILTER (WHERE eligible AND lane = 'human_review'), 0)                 AS review_seconds,
       count(*) FILTER (WHERE eligible AND lane = 'human_review' AND s.timed > 0)                    AS review_timed
FROM cases c LEFT JOIN seconds s ON s.case_id = c.case_id
WHERE c.confidence IS NOT NULL
GROUP BY c.workflow, bin
ORDER BY c.workflow, bin;
