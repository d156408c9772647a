-- loopwatch: sort by assigned_at
-- assignments: the twin of sql/duckdb/derived/0010_assignments.sql: one row per review.assigned
-- of a created case (a queue item, docs/metrics/queues-sla.md#open-items) with the instant it
-- ended: the earliest of the assignee's own review.decided of the case at or after it, a
-- case.escalated or case.closed after it, and a later review.assigned of the case at the same
-- level (not in dual_review). A missing level counts as 1. NULL (not 1970) while the item
-- has not ended (join_use_nulls; least skips NULLs). Each end is one lookup per assignment (two
-- ASOF joins and a window), not a join with every event of the case: that was quadratic in one
-- case's events (issue 13).
CREATE OR REPLACE TABLE {database}.assignments_delta ENGINE = {derived_engine} AS
WITH
case_events AS (
  SELECT event_id, case_id, type, actor_id, coalesce(level, 1) AS level, ts
  FROM {delta_events}
  WHERE case_id IS NOT NULL AND type IN ('review.assigned', 'review.decided', 'case.escalated', 'case.closed')
),
assigned AS (
  SELECT a.event_id AS event_id, a.case_id AS case_id, a.actor_id AS actor_id, a.level AS level, a.ts AS ts, c.lane AS lane,
         -- the next assignment of the case at the same level, in (ts, event_id) order
         leadInFrame(toNullable(a.ts)) OVER (PARTITION BY a.case_id, a.level ORDER BY a.ts, a.event_id
                                             ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_assigned_at
  FROM case_events a JOIN {database}.case_facts_delta c ON c.case_id = a.case_id
  WHERE a.type = 'review.assigned'
),
-- the assignee's first decision of the case at or after the assignment
own_decision AS (
  SELECT a.event_id AS event_id, d.ts AS decided_at
  FROM (SELECT event_id, assumeNotNull(case_id) AS case_id, assumeNotNull(actor_id) AS actor_id, ts FROM assigned WHERE actor_id IS NOT NULL) a
  ASOF JOIN (SELECT assumeNotNull(case_id) AS case_id, assumeNotNull(actor_id) AS actor_id, ts FROM case_events
             WHERE type = 'review.decided' AND actor_id IS NOT NULL) d
    ON d.case_id = a.case_id AND d.actor_id = a.actor_id AND a.ts <= d.ts
),
-- the case's first escalation or close after it
case_end AS (
  SELECT a.event_id AS event_id, e.ts AS ended_at
  FROM (SELECT event_id, assumeNotNull(case_id) AS case_id, ts FROM assigned) a
  ASOF JOIN (SELECT assumeNotNull(case_id) AS case_id, ts FROM case_events
             WHERE type IN ('case.escalated', 'case.closed')) e
    ON e.case_id = a.case_id AND a.ts < e.ts
)
SELECT a.event_id AS event_id, a.case_id AS case_id, a.actor_id AS actor_id, a.level AS level, a.ts AS assigned_at,
       least(o.decided_at, e.ended_at, if(a.lane IS DISTINCT FROM 'dual_review', a.next_assigned_at, NULL)) AS ended_at
FROM assigned a
LEFT JOIN own_decision o ON o.event_id = a.event_id
LEFT JOIN case_end e ON e.event_id = a.event_id;
