-- Drift: model confidence value counts per cut group, over one window (docs/metrics/drift.md).
-- The family runs it once per window ($from, $to on created_at). Values are grouped exactly,
-- not binned: the KS test must equal scipy's ks_2samp on the raw values, so rows grow with the
-- distinct confidences of a group (bounded by the precision the model reports), not with cases.
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=none)}},
  confidence                                                                    AS value,
  count(*)                                                                      AS n
FROM case_facts
WHERE confidence IS NOT NULL
  AND {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
