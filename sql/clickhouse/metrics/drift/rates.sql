-- Drift: override and escalation counts per cut group (per hour with bucket = 'hour'), over one
-- window (docs/metrics/drift.md). Twin of sql/duckdb/metrics/drift/rates.sql.
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=created_at)}},
  count()                                                                           AS cases,
  countIf(final_decision IS NOT NULL)                                               AS human_decided,
  countIf(final_decision IS NOT NULL
          AND (final_decision = 'override'
               OR (final_label IS NOT NULL AND model_label IS NOT NULL AND final_label != model_label))) AS overridden,
  countIf(escalations > 0)                                                          AS escalated
FROM {database}.case_facts
WHERE {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
