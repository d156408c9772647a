-- loopwatch: sort by assigned_at
-- assignments: the twin of sql/duckdb/derived/0010_assignments.sql: one row per review.assigned
-- of a created case (a queue item, docs/metrics/queues-sla.md#open-items) with the instant it
-- ended: the earliest of the assignee's own review.decided of the case at or after it, a
-- case.escalated or case.closed after it, and a later review.assigned of the case at the same
-- level (not in dual_review). A missing level counts as 1. DuckDB's FILTER is minIfOrNull: NULL
-- (not 1970) while the item has not ended.
CREATE OR REPLACE TABLE {database}.assignments_delta ENGINE = {derived_engine} AS
WITH
case_events AS (
  SELECT event_id, case_id, type, actor_id, coalesce(level, 1) AS level, ts
  FROM {delta_events}
  WHERE case_id IS NOT NULL AND type IN ('review.assigned', 'review.decided', 'case.escalated', 'case.closed')
),
assigned AS (
  SELECT a.event_id AS event_id, a.case_id AS case_id, a.actor_id AS actor_id, a.level AS level, a.ts AS ts, c.lane AS lane
  FROM case_events a JOIN {database}.case_facts_delta c ON c.case_id = a.case_id
  WHERE a.type = 'review.assigned'
)
SELECT a.event_id AS event_id, a.case_id AS case_id, a.actor_id AS actor_id, a.level AS level, a.ts AS assigned_at,
       minIfOrNull(e.ts, (e.type = 'review.decided' AND e.actor_id = a.actor_id AND e.ts >= a.ts)
                         OR (e.type IN ('case.escalated', 'case.closed') AND e.ts > a.ts)
                         OR (e.type = 'review.assigned' AND e.level = a.level AND a.lane IS DISTINCT FROM 'dual_review'
                             AND (e.ts > a.ts OR (e.ts = a.ts AND e.event_id > a.event_id)))) AS ended_at
FROM assigned a JOIN case_events e ON e.case_id = a.case_id
GROUP BY a.event_id, a.case_id, a.actor_id, a.level, a.ts;
