-- Case-level quality counts per cut: override rate and rework rate numerators and denominators
-- (definitions: docs/metrics/quality.md). Twin of sql/duckdb/metrics/quality/override_and_rework_rates.sql.
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=created_at)}},
  count()                                                                       AS cases,
  countIf(final_decision IS NOT NULL)                                           AS human_decided,
  countIf(final_decision IS NOT NULL
          AND (final_decision = 'override'
               OR (final_label IS NOT NULL AND model_label IS NOT NULL AND final_label != model_label))) AS overridden,
  countIf(closed_at IS NOT NULL)                                                AS closed,
  -- a reopen stamped before the first close (clock skew, bad data) is not rework of a closed case
  countIf(closed_at IS NOT NULL AND last_reopened_at > first_closed_at)         AS reworked
FROM {database}.case_facts
WHERE {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
