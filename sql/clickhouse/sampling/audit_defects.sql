-- QA audits of auto-approved cases per workflow whose latest audit falls in [from, to). Twin
-- of sql/duckdb/sampling/audit_defects.sql. Filtered in a subquery: a SELECT alias named like a
-- column would shadow that column in WHERE.
SELECT assumeNotNull(wf)                    AS workflow,
       count()                              AS audited_cases,
       countIf(audit_verdict = 'incorrect') AS incorrect
FROM (
  SELECT workflow AS wf, audit_verdict
  FROM {database}.case_facts
  WHERE lane = 'auto_approve' AND audits > 0 AND workflow IS NOT NULL
    AND coalesce(sampled, true)
    AND ({workflow:Nullable(String)} IS NULL OR workflow = {workflow:Nullable(String)})
    AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR last_audited_at >= {from:Nullable(DateTime64(3, 'UTC'))})
    AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR last_audited_at < {to:Nullable(DateTime64(3, 'UTC'))})
)
GROUP BY wf
ORDER BY wf;
