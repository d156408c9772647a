-- False-accept aggregates per cut (docs/metrics/quality.md#false-accept-rate): accepted cases,
-- and over those with a valid audit the Horvitz-Thompson sums Σw, Σw·y, Σw² with w = 1/π.
-- TypeScript finishes the Hájek ratio Σw·y / Σw and its interval. Cohort: created_at.
WITH judged AS (
  SELECT *,
         -- the final human decision, when there is one, supersedes the lane: a reopened
         -- auto-approval that a human then overrode was not accepted as the model had it
         CASE WHEN final_decision IS NOT NULL THEN final_decision = 'approve'
              ELSE lane = 'auto_approve' AND outcome IN ('executed', 'approved') END AS accepted,
         -- an audit stamped before the human acceptance judged a state that no longer stands
         audits > 0 AND (final_decided_at IS NULL OR last_audited_at >= final_decided_at)  AS audited,
         -- π: the audit's own rate; else the triage QA rate, but only when triage picked the
         -- case (a rate in force says nothing about a case it did not select); else a census
         1.0 / coalesce(audit_sampling_rate,
                        CASE WHEN sampled AND triage_sampling_rate > 0 THEN triage_sampling_rate END,
                        1.0)                                                               AS w
  FROM case_facts
)
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=created_at)}},
  count(*)                                                                      AS accepted,
  count(*) FILTER (WHERE audited)                                               AS audits,
  count(*) FILTER (WHERE audited AND audit_verdict = 'incorrect')               AS incorrect,
  coalesce(sum(w) FILTER (WHERE audited), 0)                                    AS sum_w,
  coalesce(sum(w) FILTER (WHERE audited AND audit_verdict = 'incorrect'), 0)    AS sum_wy,
  coalesce(sum(w * w) FILTER (WHERE audited), 0)                                AS sum_w2
FROM judged
WHERE accepted
  AND {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
