-- escalation_facts: one row per escalated case (docs/metrics/quality.md#escalation-precision):
-- whether a decision at the top level it was escalated to has resolved it, and whether that
-- resolution differed from what the levels below proposed; with the case's cut attributes,
-- its first escalation and who made it. Cases whose case.created has not arrived yet are
-- here too, under their escalation's workflow (their rows are rebuilt when it arrives).
-- Levels missing on a decision read as 1.
CREATE OR REPLACE TEMP TABLE escalation_facts_delta AS
WITH esc AS (
  SELECT case_id, max(to_level) AS top_level, min(ts) AS first_escalated_at,
         arg_min(actor_id, (ts, event_id)) AS reviewer, arg_min(workflow, (ts, event_id)) AS event_workflow
  FROM delta_events WHERE type = 'case.escalated' GROUP BY case_id
),
decided AS (
  SELECT d.case_id, d.ts, d.event_id, coalesce(d.level, 1) AS level, d.decision, d.final_label, esc.top_level
  FROM delta_events d JOIN esc USING (case_id)
  WHERE d.type = 'review.decided'
),
-- the latest settling decision at or above the level the case was escalated to
top AS (
  SELECT case_id, max(ts) AS top_at,
         arg_max(decision, (ts, event_id))         AS top_decision,
         arg_max_null(final_label, (ts, event_id)) AS top_label
  FROM decided WHERE decision <> 'escalate' AND level >= top_level GROUP BY case_id
),
-- what the levels below had on the table when the top level decided
below AS (
  SELECT d.case_id,
         arg_max(d.final_label, (d.ts, d.event_id)) AS lower_label,
         arg_max(d.decision, (d.ts, d.event_id))    AS lower_decision
  FROM decided d JOIN top USING (case_id)
  WHERE d.level < d.top_level AND d.ts <= top.top_at
  GROUP BY d.case_id
),
judged AS (
  SELECT esc.case_id, c.case_id IS NOT NULL AS case_known, coalesce(c.workflow, esc.event_workflow) AS workflow, c.tier, c.lane, c.model_version, c.policy_version,
         esc.reviewer, esc.first_escalated_at,
         top.top_decision IS NOT NULL AS resolved,
         CASE
           WHEN top.top_decision IS NULL THEN NULL
           WHEN top.top_decision = 'reject' THEN coalesce(below.lower_decision, '') <> 'reject'
           WHEN below.lower_decision = 'reject' THEN true
           WHEN top.top_label IS NOT NULL AND coalesce(below.lower_label, c.model_label) IS NOT NULL
             THEN top.top_label <> coalesce(below.lower_label, c.model_label)
           -- nothing to compare labels on: only an explicit override is a change
           ELSE top.top_decision = 'override'
         END AS changed
  FROM esc
  LEFT JOIN top USING (case_id)
  LEFT JOIN below USING (case_id)
  LEFT JOIN case_facts_delta c USING (case_id)
)
SELECT case_id, workflow, tier, lane, model_version, policy_version, reviewer, first_escalated_at, resolved, changed,
       case_known
FROM judged;
