-- False-accept aggregates per cut (docs/metrics/quality.md#false-accept-rate): accepted cases,
-- and over those with a valid audit the Horvitz-Thompson sums. Twin of
-- sql/duckdb/quality_false_accepts.sql.
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
  CASE WHEN has({group_by:Array(String)}, 'workflow') THEN workflow END             AS g_workflow,
  CASE WHEN has({group_by:Array(String)}, 'tier') THEN tier END                     AS g_tier,
  CASE WHEN has({group_by:Array(String)}, 'lane') THEN lane END                     AS g_lane,
  CASE WHEN has({group_by:Array(String)}, 'model_version') THEN model_version END   AS g_model_version,
  CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN policy_version END AS g_policy_version,
  CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN final_reviewer END       AS g_reviewer,
  multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(created_at),
          {bucket:Nullable(String)} = 'day', toStartOfDay(created_at),
          {bucket:Nullable(String)} = 'week', toDateTime(toMonday(created_at), 'UTC'), NULL) AS g_bucket,
  count()                                                                       AS accepted,
  countIf(audited)                                                              AS audits,
  countIf(audited AND audit_verdict = 'incorrect')                              AS incorrect,
  sumIf(w, audited)                                                             AS sum_w,
  sumIf(w, audited AND audit_verdict = 'incorrect')                             AS sum_wy,
  sumIf(w * w, audited)                                                         AS sum_w2
FROM judged
WHERE is_accepted
  AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
  AND ({tier:Nullable(UInt8)} IS NULL OR tier = {tier:Nullable(UInt8)})
  AND ({lane:Nullable(String)} IS NULL OR lane = {lane:Nullable(String)})
  AND ({model_version:Nullable(String)} IS NULL OR model_version = {model_version:Nullable(String)})
  AND ({policy_version:Nullable(String)} IS NULL OR policy_version = {policy_version:Nullable(String)})
  AND ({reviewer:Nullable(String)} IS NULL OR final_reviewer = {reviewer:Nullable(String)})
  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
GROUP BY ALL
ORDER BY ALL;
