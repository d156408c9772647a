-- assignments: one row per review.assigned of a created case (a queue item,
-- docs/metrics/queues-sla.md#open-items) with the instant it ended: the earliest of the
-- assignee's own review.decided of the case at or after it, a case.escalated or case.closed
-- after it, and a later review.assigned of the case at the same level (a reassignment; not in
-- dual_review, where two reviewers hold the case at once). An item is open at an instant t
-- when assigned_at <= t and ended_at is NULL or after t. A missing level counts as 1.
-- Each of the three ends is one lookup per assignment (two ASOF joins and a window), not a
-- join of every assignment with every event of its case: that was quadratic in one case's
-- events (issue 13: a case of 30,000 events took half a minute).
CREATE OR REPLACE TEMP TABLE assignments_delta AS
WITH
assigned AS (
  SELECT a.event_id, a.case_id, a.actor_id, coalesce(a.level, 1) AS level, a.ts, c.lane,
         -- the next assignment of the case at the same level, in (ts, event_id) order
         lead(a.ts) OVER (PARTITION BY a.case_id, coalesce(a.level, 1) ORDER BY a.ts, a.event_id) AS next_assigned_at
  FROM delta_events a JOIN case_facts_delta c USING (case_id)
  WHERE a.type = 'review.assigned'
),
decided AS (SELECT case_id, actor_id, ts FROM delta_events WHERE type = 'review.decided'),
case_ends AS (SELECT case_id, ts FROM delta_events WHERE type IN ('case.escalated', 'case.closed')),
-- the assignee's first decision of the case at or after the assignment
own_decision AS (
  SELECT a.event_id, d.ts AS decided_at
  FROM assigned a ASOF JOIN decided d ON d.case_id = a.case_id AND d.actor_id = a.actor_id AND d.ts >= a.ts
),
-- the case's first escalation or close after it
case_end AS (
  SELECT a.event_id, e.ts AS ended_at
  FROM assigned a ASOF JOIN case_ends e ON e.case_id = a.case_id AND e.ts > a.ts
)
SELECT a.event_id, a.case_id, a.actor_id, a.level, a.ts AS assigned_at,
       -- least skips NULLs: NULL only while no end has come
       least(o.decided_at, e.ended_at, CASE WHEN a.lane IS DISTINCT FROM 'dual_review' THEN a.next_assigned_at END) AS ended_at
FROM assigned a
LEFT JOIN own_decision o USING (event_id)
LEFT JOIN case_end e USING (event_id);
