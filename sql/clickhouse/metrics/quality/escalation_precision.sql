-- Escalation precision per cut (docs/metrics/quality.md#escalation-precision): of the escalated
-- cases that a decision at the top level has resolved, how many it resolved differently from
-- what the levels below proposed (judged per case in the derived escalation_facts). Twin of
-- sql/duckdb/metrics/quality/escalation_precision.sql: bucketed and windowed by the case's first
-- escalation ts; `reviewer` is the actor of that first escalation.
SELECT
  {{cut.group_columns(time=first_escalated_at)}},
  count()                                                                       AS escalated_cases,
  countIf(resolved)                                                             AS resolved,
  countIf(changed)                                                              AS changed
FROM {database}.escalation_facts
WHERE {{cut.filters(time=first_escalated_at)}}
GROUP BY ALL
ORDER BY ALL;
