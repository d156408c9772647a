-- Drift: label and lane mix per cut group, over one window (docs/metrics/drift.md). Twin of
-- sql/duckdb/metrics/drift/categories.sql. One scan: ARRAY JOIN turns each case into its two
-- (kind, category) pairs, where DuckDB unions two selects over a CTE.
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=none)}},
  pair.1                                                                            AS kind,
  assumeNotNull(pair.2)                                                             AS category,
  count()                                                                           AS n
FROM {database}.case_facts
ARRAY JOIN [('label', toNullable(toString(model_label))), ('lane', toNullable(toString(lane)))] AS pair
WHERE pair.2 IS NOT NULL
  AND {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
