-- Evidence for the triage-threshold what-if, per workflow and confidence bin: the twin of
-- sql/duckdb/review/whatif_bins.sql. The case-level columns are named apart from the
-- aggregates: ClickHouse would read `countIf(eligible) AS eligible` as a cycle.
WITH cases AS (
  SELECT c.case_id AS case_id, c.workflow AS workflow, c.lane AS lane, c.confidence AS confidence, c.model_label AS model_label,
         c.lane IN ('auto_approve', 'human_review') AND NOT hasAny(c.risk_signals, {high_risk_signals:Array(String)}) AS is_eligible,
         multiIf(
           c.audit_verdict = 'incorrect' AND c.audit_correct_label IS NOT NULL, toNullable(c.audit_correct_label != c.model_label),
           c.final_decision = 'reject', toNullable(true),
           c.final_decision = 'approve', toNullable(coalesce(c.final_label != c.model_label, false)),
           c.final_decision = 'override', toNullable(coalesce(c.final_label != c.model_label, true)),
           NULL) AS is_human_wrong,
         if(c.audit_verdict IS NOT NULL AND c.audit_sampling_rate > 0, 1.0 / c.audit_sampling_rate, NULL) AS w,
         coalesce(c.audit_verdict = 'incorrect', false) AS is_audit_wrong
  FROM {database}.case_facts c
  WHERE {{cut.filters(table=c, reviewer=none, time=c.created_at)}}
),
seconds AS (
  SELECT case_id, sum(seconds) AS total_seconds, count(seconds) AS timed
  FROM {database}.decision_facts WHERE case_id IN (SELECT case_id FROM cases) GROUP BY case_id
)
SELECT c.workflow AS workflow,
       toInt32(floor(assumeNotNull(c.confidence) * 1000 + 1e-9))                                     AS bin,
       count()                                                                                       AS cases,
       countIf(lane NOT IN ('auto_approve', 'reject'))                                               AS human_lane_cases,
       countIf(is_eligible)                                                                             AS eligible,
       countIf(is_eligible AND lane = 'auto_approve')                                                   AS auto_cases,
       countIf(is_eligible AND lane = 'human_review')                                                   AS reviewed_cases,
       countIf(is_eligible AND lane = 'human_review' AND is_human_wrong IS NOT NULL)                       AS human_n,
       countIf(is_eligible AND lane = 'human_review' AND coalesce(is_human_wrong, false))                  AS human_wrong,
       countIf(is_eligible AND lane = 'auto_approve' AND w IS NOT NULL)                           AS audit_n,
       coalesce(sumIf(w, is_eligible AND lane = 'auto_approve'), 0)                               AS audit_w,
       coalesce(sumIf(w, is_eligible AND lane = 'auto_approve' AND is_audit_wrong), 0)               AS audit_wy,
       coalesce(sumIf(w * w, is_eligible AND lane = 'auto_approve'), 0)                     AS audit_w2,
       coalesce(sumIf(s.total_seconds, is_eligible AND lane = 'human_review'), 0)                             AS review_seconds,
       countIf(is_eligible AND lane = 'human_review' AND s.timed > 0)                                   AS review_timed
FROM cases c LEFT JOIN seconds s ON s.case_id = c.case_id
WHERE c.confidence IS NOT NULL
GROUP BY workflow, bin
ORDER BY workflow, bin
SETTINGS join_use_nulls = 1;
