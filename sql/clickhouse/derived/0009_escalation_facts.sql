-- loopwatch: sort by first_escalated_at
-- escalation_facts: the twin of sql/duckdb/derived/0009_escalation_facts.sql: one row per
-- escalated case (docs/metrics/quality.md#escalation-precision), whether a decision at the top
-- level it was escalated to has resolved it and whether that resolution differed from what the
-- levels below proposed; with the case's cut attributes, its first escalation and who made it.
-- Cases whose case.created has not arrived yet are here too, under their escalation's workflow
-- (case_known false). Levels missing on a decision read as 1. DuckDB's arg_max_null (NULLs
-- count) is argMax over a one-element tuple, which is never NULL.
CREATE OR REPLACE TABLE {database}.escalation_facts_delta ENGINE = {derived_engine} AS
WITH
ev AS (SELECT * FROM {delta_events} WHERE case_id IS NOT NULL AND type IN ('case.escalated', 'review.decided')),
esc AS (
  SELECT case_id, max(to_level) AS top_level, min(ts) AS first_escalated_at,
         argMin(actor_id, (ts, event_id)) AS first_reviewer, argMin(workflow, (ts, event_id)) AS event_workflow
  FROM ev WHERE type = 'case.escalated' GROUP BY case_id
),
decided AS (
  SELECT d.case_id AS case_id, d.ts AS ts, d.event_id AS event_id, coalesce(d.level, 1) AS level, d.decision AS decision,
         d.final_label AS final_label, esc.top_level AS top_level
  FROM ev d JOIN esc ON esc.case_id = d.case_id
  WHERE d.type = 'review.decided'
),
-- the latest settling decision at or above the level the case was escalated to
top AS (
  SELECT case_id, max(ts) AS top_at,
         argMax(decision, (ts, event_id))               AS top_decision,
         argMax(tuple(final_label), (ts, event_id)).1   AS top_label
  FROM decided WHERE decision != 'escalate' AND level >= top_level GROUP BY case_id
),
-- what the levels below had on the table when the top level decided
below AS (
  SELECT d.case_id AS case_id,
         argMax(d.final_label, (d.ts, d.event_id)) AS lower_label,
         argMax(d.decision, (d.ts, d.event_id))    AS lower_decision
  FROM decided d JOIN top ON top.case_id = d.case_id
  WHERE d.level < d.top_level AND d.ts <= top.top_at
  GROUP BY d.case_id
)
SELECT esc.case_id AS case_id,
       coalesce(c.workflow, esc.event_workflow) AS workflow, c.tier AS tier, c.lane AS lane,
       c.model_version AS model_version, c.policy_version AS policy_version,
       esc.first_reviewer AS reviewer, esc.first_escalated_at AS first_escalated_at,
       CAST(top.top_decision IS NOT NULL AS Bool) AS resolved,
       CAST(multiIf(
         top.top_decision IS NULL, NULL,
         top.top_decision = 'reject', coalesce(below.lower_decision, '') != 'reject',
         below.lower_decision = 'reject', true,
         top.top_label IS NOT NULL AND coalesce(below.lower_label, c.model_label) IS NOT NULL,
           top.top_label != coalesce(below.lower_label, c.model_label),
         -- nothing to compare labels on: only an explicit override is a change
         top.top_decision = 'override') AS Nullable(Bool)) AS changed,
       CAST(c.case_id IS NOT NULL AS Bool) AS case_known
FROM esc
LEFT JOIN top ON top.case_id = esc.case_id
LEFT JOIN below ON below.case_id = esc.case_id
LEFT JOIN {database}.case_facts_delta c ON c.case_id = esc.case_id;
