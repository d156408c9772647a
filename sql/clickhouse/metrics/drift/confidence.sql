-- Drift: model confidence value counts per cut group, over one window (docs/metrics/drift.md).
-- Twin of sql/duckdb/metrics/drift/confidence.sql: exact values, no binning (KS must equal scipy's).
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=none)}},
  assumeNotNull(confidence)                                                         AS value,
  count()                                                                           AS n
FROM {database}.case_facts
WHERE confidence IS NOT NULL
  AND {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
