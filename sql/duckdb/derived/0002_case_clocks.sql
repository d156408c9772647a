-- case_clocks: one row per case with the instants its queue and SLA clocks start and stop at
-- (docs/metrics/queues-sla.md#stages), and who held the case for each. Only facts of the
-- event log here: which clocks apply and their deadlines depend on the SLA policy and are
-- worked out at query time (sla_breaches.sql). Cases without case.created are left out, as
-- in case_facts: their workflow and tier are unknown. Who held the case is attribution only:
-- between two events of one case in the same millisecond it is either actor (a (ts, event_id)
-- tie-break would cost a quarter of this table's build time).
CREATE OR REPLACE TEMP TABLE case_clocks_delta AS
WITH
-- one pass over the review events answers every case but the two rarer kinds below
firsts AS (
  SELECT case_id,
         arg_min(actor_id, ts) FILTER (WHERE type = 'review.assigned')                          AS first_assignee,
         arg_max(actor_id, ts) FILTER (WHERE type = 'review.assigned')                          AS last_assignee,
         -- decisions that settle something (an escalate decision hands the case on)
         min(ts) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')                          AS primary_at,
         arg_min(actor_id, ts) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate') AS primary_by,
         max(ts) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')                          AS last_settled_at,
         arg_max(actor_id, ts) FILTER (WHERE type = 'review.decided' AND decision <> 'escalate') AS last_settled_by,
         min(ts) FILTER (WHERE type = 'audit.completed')                                                    AS first_audited_at,
         arg_min(actor_id, ts) FILTER (WHERE type = 'audit.completed')                          AS first_auditor
  FROM delta_events WHERE type IN ('review.assigned', 'review.decided', 'audit.completed')
  GROUP BY case_id
),
cases AS (
  SELECT f.case_id, f.workflow, f.tier, f.lane, f.model_version, f.policy_version, f.risk_signals,
         coalesce(f.sampled, false) AS sampled, f.triaged_at, f.first_assigned_at, f.first_ack_at,
         f.first_decided_at, f.first_escalated_at, f.first_closed_at, r.* EXCLUDE (case_id)
  FROM case_facts_delta f LEFT JOIN firsts r USING (case_id)
),
-- dual reviews need the second distinct reviewer, and cases decided again after their first
-- close (rework) the decision that close acted on: both read their decisions once more
second_look AS (
  SELECT c.case_id,
         min(e.ts) FILTER (WHERE c.lane = 'dual_review' AND e.actor_id <> c.primary_by)                          AS secondary_at,
         arg_min(e.actor_id, e.ts) FILTER (WHERE c.lane = 'dual_review' AND e.actor_id <> c.primary_by) AS secondary_by,
         max(e.ts) FILTER (WHERE e.ts <= c.first_closed_at)                                                       AS settled_at,
         arg_max(e.actor_id, e.ts) FILTER (WHERE e.ts <= c.first_closed_at)                         AS settled_by
  FROM cases c JOIN delta_events e ON e.case_id = c.case_id
  WHERE (c.lane = 'dual_review' OR c.last_settled_at > c.first_closed_at)
    AND e.type = 'review.decided' AND e.decision <> 'escalate'
  GROUP BY c.case_id
)
SELECT
  c.case_id, c.workflow, c.tier, c.lane, c.model_version, c.policy_version, c.risk_signals, c.sampled,
  -- the case joins its lane's queue at triage; a case assigned without a triage event, at the assignment
  coalesce(c.triaged_at, c.first_assigned_at) AS started_at,
  c.first_assigned_at, c.first_assignee, c.last_assignee,
  -- a decision without an acknowledgement acknowledges too
  least(c.first_ack_at, c.first_decided_at) AS first_ack_at,
  c.first_decided_at, c.first_escalated_at, c.first_closed_at,
  c.primary_at, c.primary_by, s.secondary_at, s.secondary_by,
  -- complete: the decision the first close acted on (the last one at or before it), or the
  -- close itself when no decision came before it; not complete while never closed
  CASE WHEN c.first_closed_at IS NOT NULL THEN
    coalesce(CASE WHEN c.last_settled_at <= c.first_closed_at THEN c.last_settled_at ELSE s.settled_at END, c.first_closed_at)
  END AS completed_at,
  CASE WHEN c.last_settled_at <= c.first_closed_at THEN c.last_settled_by ELSE s.settled_by END AS completed_by,
  c.first_audited_at, c.first_auditor
FROM cases c LEFT JOIN second_look s USING (case_id);
