-- QA audits of auto-approved cases per workflow whose latest audit falls in [$from, $to)
-- (docs/sampling.md#audit-defects): the lot the sampling controller judges for a window. By
-- audit time, not case creation, so a window is complete when it ends. A case triage said it
-- did not sample (sampled = false) was audited for another reason and is left out.
SELECT workflow,
       count(*)                                            AS audited_cases,
       count(*) FILTER (WHERE audit_verdict = 'incorrect') AS incorrect
FROM case_facts
WHERE lane = 'auto_approve' AND audits > 0 AND workflow IS NOT NULL
  AND coalesce(sampled, TRUE)
  AND ($workflow IS NULL OR workflow = $workflow)
  AND ($from IS NULL OR last_audited_at >= $from)
  AND ($to IS NULL OR last_audited_at < $to)
GROUP BY workflow
ORDER BY workflow;
