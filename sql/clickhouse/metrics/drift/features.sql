-- Drift: `features` value counts per cut group and feature key, over one window
-- (docs/metrics/drift.md). Twin of sql/duckdb/metrics/drift/features.sql, from the derived case_features
-- (each case's features object, parsed once: a JSON number numeric, a JSON string categorical).
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=none)}},
  feature, kind, num_value, cat_value, count() AS n
FROM {database}.case_features
WHERE {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
