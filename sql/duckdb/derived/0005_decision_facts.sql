-- decision_facts: one row per review.decided with its case's cut attributes and the time the
-- decision took: from that reviewer's latest acknowledgement of the case before it, else their
-- latest assignment (none ⇒ NULL, not timed). One window pass, no per-row lookups.
CREATE OR REPLACE TEMP TABLE decision_facts_delta AS
WITH review_events AS (
  SELECT event_id, case_id, actor_id, actor_role, type, decision, level, ts,
         last_value(CASE WHEN type = 'review.acknowledged' THEN ts END IGNORE NULLS)
           OVER (PARTITION BY case_id, actor_id ORDER BY ts, type ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS acked_at,
         last_value(CASE WHEN type = 'review.assigned' THEN ts END IGNORE NULLS)
           OVER (PARTITION BY case_id, actor_id ORDER BY ts, type ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS assigned_at
  FROM delta_events
  WHERE type IN ('review.assigned', 'review.acknowledged', 'review.decided') AND actor_id IS NOT NULL
)
SELECT r.event_id, r.case_id, r.actor_id, r.actor_role, r.decision, r.level, r.ts,
       (epoch_ms(r.ts) - epoch_ms(coalesce(r.acked_at, r.assigned_at))) / 1000.0 AS seconds,
       c.workflow, c.tier, c.lane, c.model_version, c.policy_version,
       -- for the approved_by_creator control: an approval by whoever created the case
       coalesce(r.decision = 'approve' AND r.actor_id = c.creator_id, false) AS approved_by_creator
FROM review_events r JOIN case_facts_delta c USING (case_id)
WHERE r.type = 'review.decided';
