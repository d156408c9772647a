-- Drift: `features` value counts per cut group and feature key, over one window
-- (docs/metrics/drift.md), from the derived case_features (each case's features object,
-- parsed once). Values are exact, as for confidence, so rows grow with the distinct values of
-- each key.
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=none)}},
  feature, kind, num_value, cat_value, count(*) AS n
FROM case_features
WHERE {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
