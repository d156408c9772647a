-- loopwatch: sort by ts
-- decision_facts: the twin of sql/duckdb/derived/0005_decision_facts.sql: one row per
-- review.decided with its case's cut attributes and the time the decision took, from that
-- reviewer's latest acknowledgement of the case before it, else their latest assignment.
-- ClickHouse's last_value skips NULLs: DuckDB's IGNORE NULLS.
CREATE OR REPLACE TABLE {database}.decision_facts_delta ENGINE = {derived_engine} AS
WITH review_events AS (
  SELECT event_id, case_id, actor_id, actor_role, type, decision, level, ts,
         last_value(if(type = 'review.acknowledged', ts, NULL))
           OVER (PARTITION BY case_id, actor_id ORDER BY ts, type ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS acked_at,
         last_value(if(type = 'review.assigned', ts, NULL))
           OVER (PARTITION BY case_id, actor_id ORDER BY ts, type ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS assigned_at
  FROM {delta_events}
  WHERE type IN ('review.assigned', 'review.acknowledged', 'review.decided') AND actor_id IS NOT NULL
)
SELECT r.event_id AS event_id, r.case_id AS case_id, r.actor_id AS actor_id, r.actor_role AS actor_role,
       r.decision AS decision, r.level AS level, r.ts AS ts,
       (toUnixTimestamp64Milli(r.ts) - toUnixTimestamp64Milli(coalesce(r.acked_at, r.assigned_at))) / 1000.0 AS seconds,
       c.workflow AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version, c.policy_version AS policy_version,
       -- for the approved_by_creator control: an approval by whoever created the case
       CAST(coalesce(r.decision = 'approve' AND r.actor_id = c.creator_id, false) AS Bool) AS approved_by_creator
FROM review_events r JOIN {database}.case_facts_delta c ON c.case_id = r.case_id
WHERE r.type = 'review.decided';
