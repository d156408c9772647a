-- assignments: one row per review.assigned of a created case (a queue item,
-- docs/metrics/queues-sla.md#open-items) with the instant it ended: the earliest of the
-- assignee's own review.decided of the case at or after it, a case.escalated or case.closed
-- after it, and a later review.assigned of the case at the same level (a reassignment; not in
-- dual_review, where two reviewers hold the case at once). An item is open at an instant t
-- when assigned_at <= t and ended_at is NULL or after t. A missing level counts as 1.
-- Each of the three ends is a window over the case's own events (n log n per case), not a join
-- of every assignment with every event of its case: that was quadratic in one case's events
-- (issue 13: a case of 30,000 events took half a minute). ASOF joins gave the same answers but
-- ran 60 s instead of 1 s in a full build at 1M events inside the refresh transaction.
CREATE OR REPLACE TEMP TABLE assignments_delta AS
WITH
assigned AS (
  SELECT a.event_id, a.case_id, a.actor_id, coalesce(a.level, 1) AS level, a.ts, c.lane,
         -- the next assignment of the case at the same level, in (ts, event_id) order
         lead(a.ts) OVER (PARTITION BY a.case_id, coalesce(a.level, 1) ORDER BY a.ts, a.event_id) AS next_assigned_at
  FROM delta_events a JOIN case_facts_delta c USING (case_id)
  WHERE a.type = 'review.assigned'
),
-- the assignee's first decision of the case at or after the assignment: decisions sort after an
-- assignment of the same instant, so the frame from the assignment on includes them
own_decision AS (
  SELECT event_id, decided_at FROM (
    SELECT event_id, is_assignment,
           min(ts) FILTER (WHERE NOT is_assignment) OVER (
             PARTITION BY case_id, actor_id ORDER BY ts, is_assignment DESC
             ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS decided_at
    FROM (
      SELECT event_id, case_id, actor_id, ts, true AS is_assignment FROM assigned
      UNION ALL
      SELECT event_id, case_id, actor_id, ts, false FROM delta_events WHERE type = 'review.decided'
    )
  ) WHERE is_assignment
),
-- the case's first escalation or close strictly after it: ends sort before an assignment of the
-- same instant, so the frame from the assignment on leaves them out
case_end AS (
  SELECT event_id, ended_at FROM (
    SELECT event_id, is_assignment,
           min(ts) FILTER (WHERE NOT is_assignment) OVER (
             PARTITION BY case_id ORDER BY ts, is_assignment
             ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS ended_at
    FROM (
      SELECT event_id, case_id, ts, true AS is_assignment FROM assigned
      UNION ALL
      SELECT event_id, case_id, ts, false FROM delta_events WHERE type IN ('case.escalated', 'case.closed')
    )
  ) WHERE is_assignment
)
SELECT a.event_id, a.case_id, a.actor_id, a.level, a.ts AS assigned_at,
       -- least skips NULLs: NULL only while no end has come
       least(o.decided_at, e.ended_at, CASE WHEN a.lane IS DISTINCT FROM 'dual_review' THEN a.next_assigned_at END) AS ended_at
FROM assigned a
LEFT JOIN own_decision o USING (event_id)
LEFT JOIN case_end e USING (event_id);
