-- loopwatch: sort by started_at
-- case_clocks: the twin of sql/duckdb/derived/0002_case_clocks.sql: one row per case with the
-- instants its queue and SLA clocks start and stop at, and who held the case for each (between
-- two events of one case in the same millisecond, either actor, as on DuckDB).
-- least() skips NULLs as DuckDB's does (ClickHouse 24.12 and later).
CREATE OR REPLACE TABLE {database}.case_clocks_delta ENGINE = {derived_engine} AS
WITH
ev AS (SELECT * FROM {delta_events} WHERE case_id IS NOT NULL),
-- one pass over the review events answers every case but the two rarer kinds below
firsts AS (
  SELECT case_id,
         argMinIf(actor_id, ts, type = 'review.assigned')                                AS first_assignee,
         argMaxIf(actor_id, ts, type = 'review.assigned')                                AS last_assignee,
         -- decisions that settle something (an escalate decision hands the case on)
         minIfOrNull(ts, type = 'review.decided' AND decision != 'escalate')             AS primary_at,
         argMinIf(actor_id, ts, type = 'review.decided' AND decision != 'escalate')      AS primary_by,
         maxIfOrNull(ts, type = 'review.decided' AND decision != 'escalate')             AS last_settled_at,
         argMaxIf(actor_id, ts, type = 'review.decided' AND decision != 'escalate')      AS last_settled_by,
         minIfOrNull(ts, type = 'audit.completed')                                       AS first_audited_at,
         argMinIf(actor_id, ts, type = 'audit.completed')                                AS first_auditor
  FROM ev WHERE type IN ('review.assigned', 'review.decided', 'audit.completed')
  GROUP BY case_id
),
cases AS (
  SELECT f.case_id AS case_id, f.workflow AS workflow, f.tier AS tier, f.lane AS lane, f.model_version AS model_version,
         f.policy_version AS policy_version, f.risk_signals AS risk_signals,
         CAST(coalesce(f.sampled, false) AS Bool) AS sampled, f.triaged_at AS triaged_at, f.first_assigned_at AS first_assigned_at,
         f.first_ack_at AS first_ack_at, f.first_decided_at AS first_decided_at, f.first_escalated_at AS first_escalated_at,
         f.first_closed_at AS first_closed_at,
         r.first_assignee AS first_assignee, r.last_assignee AS last_assignee, r.primary_at AS primary_at, r.primary_by AS primary_by,
         r.last_settled_at AS last_settled_at, r.last_settled_by AS last_settled_by,
         r.first_audited_at AS first_audited_at, r.first_auditor AS first_auditor
  FROM {database}.case_facts_delta f LEFT JOIN firsts r ON r.case_id = f.case_id
),
-- dual reviews need the second distinct reviewer, and cases decided again after their first
-- close (rework) the decision that close acted on: both read their decisions once more
second_look AS (
  SELECT c.case_id AS case_id,
         minIfOrNull(e.ts, c.lane = 'dual_review' AND e.actor_id != c.primary_by)        AS secondary_at,
         argMinIf(e.actor_id, e.ts, c.lane = 'dual_review' AND e.actor_id != c.primary_by) AS secondary_by,
         maxIfOrNull(e.ts, e.ts <= c.first_closed_at)                                    AS settled_at,
         argMaxIf(e.actor_id, e.ts, e.ts <= c.first_closed_at)                           AS settled_by
  FROM cases c JOIN ev e ON e.case_id = c.case_id
  WHERE (c.lane = 'dual_review' OR c.last_settled_at > c.first_closed_at)
    AND e.type = 'review.decided' AND e.decision != 'escalate'
  GROUP BY c.case_id
)
SELECT
  c.case_id AS case_id, c.workflow AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
  c.policy_version AS policy_version, c.risk_signals AS risk_signals, c.sampled AS sampled,
  -- the case joins its lane's queue at triage; a case assigned without a triage event, at the assignment
  coalesce(c.triaged_at, c.first_assigned_at) AS started_at,
  c.first_assigned_at AS first_assigned_at, c.first_assignee AS first_assignee, c.last_assignee AS last_assignee,
  -- a decision without an acknowledgement acknowledges too
  least(c.first_ack_at, c.first_decided_at) AS first_ack_at,
  c.first_decided_at AS first_decided_at, c.first_escalated_at AS first_escalated_at, c.first_closed_at AS first_closed_at,
  c.primary_at AS primary_at, c.primary_by AS primary_by, s.secondary_at AS secondary_at, s.secondary_by AS secondary_by,
  -- complete: the decision the first close acted on (the last one at or before it), or the
  -- close itself when no decision came before it; not complete while never closed
  if(c.first_closed_at IS NOT NULL,
     coalesce(if(c.last_settled_at <= c.first_closed_at, c.last_settled_at, s.settled_at), c.first_closed_at),
     NULL) AS completed_at,
  if(c.last_settled_at <= c.first_closed_at, c.last_settled_by, s.settled_by) AS completed_by,
  c.first_audited_at AS first_audited_at, c.first_auditor AS first_auditor
FROM cases c LEFT JOIN second_look s ON s.case_id = c.case_id;
