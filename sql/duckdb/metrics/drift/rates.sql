-- Drift: override and escalation counts per cut group, over one window (docs/metrics/drift.md).
-- With $bucket = 'hour' the rows are per hour of created_at too: the CUSUM's time series.
-- override: quality's definition (docs/metrics/quality.md#override-rate) over human-decided
-- cases; escalation: cases with at least one case.escalated, over all cases.
SELECT
  {{cut.group_columns(reviewer=final_reviewer, time=created_at)}},
  count(*)                                                                      AS cases,
  count(*) FILTER (WHERE final_decision IS NOT NULL)                            AS human_decided,
  count(*) FILTER (WHERE final_decision IS NOT NULL
                   AND (final_decision = 'override'
                        OR (final_label IS NOT NULL AND model_label IS NOT NULL AND final_label <> model_label))) AS overridden,
  count(*) FILTER (WHERE escalations > 0)                                       AS escalated
FROM case_facts
WHERE {{cut.filters(reviewer=final_reviewer, time=created_at)}}
GROUP BY ALL
ORDER BY ALL;
