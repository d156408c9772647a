-- False-accept aggregates per cut (docs/metrics/quality.md#false-accept-rate): accepted cases,
-- and over those with a valid audit the Horvitz-Thompson sums. Twin of
-- sql/duckdb/metrics/quality/false_accept_rate.sql.
WITH judged AS (
  -- is_accepted, not accepted: a ClickHouse alias in SELECT would shadow the column in WHERE
  SELECT *,
         -- the final human decision, when there is one, supersedes the lane
         if(final_decision IS NOT NULL, final_decision = 'approve',
            lane = 'auto_approve' AND outcome IN ('executed', 'approved'))                       AS is_accepted,
         -- an audit stamped before the human acceptance judged a state that no longer stands
         audits > 0 AND (final_decided_at IS NULL OR last_audited_at >= final_decided_at)          AS audited,
         1.0 / coalesce(audit_sampling_rate,
                        if(sampled AND triage_sampling_rate > 0, triage_sampling_rate, NULL),
                        1.0)                                                                       AS w
  FROM {database}.case_facts
)
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=created_at)}},
  count()                                                                       AS accepted,
  countIf(audited)                                                              AS audits,
  countIf(audited AND audit_verdict = 'incorrect')                              AS incorrect,
  sumIf(w, audited)                                                             AS sum_w,
  sumIf(w, audited AND audit_verdict = 'incorrect')                             AS sum_wy,
  sumIf(w * w, audited)                                                         AS sum_w2
FROM judged
WHERE is_accepted
  AND {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
