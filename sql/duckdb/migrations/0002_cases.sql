-- One row per case with its current state, derived from event time (ts), never from
-- arrival order: a late case.created or an out-of-order close lands in the right place.
CREATE VIEW cases AS
SELECT
  case_id,
  arg_min(workflow, ts) FILTER (WHERE type = 'case.created')        AS workflow,
  arg_min(tier, ts) FILTER (WHERE type = 'case.created')            AS tier,
  arg_min(model_version, ts) FILTER (WHERE type = 'case.created')   AS model_version,
  arg_min(policy_version, ts) FILTER (WHERE type = 'case.created')  AS policy_version,
  arg_min(confidence, ts) FILTER (WHERE type = 'case.created')      AS confidence,
  arg_min(model_label, ts) FILTER (WHERE type = 'case.created')     AS model_label,
  arg_min(risk_signals, ts) FILTER (WHERE type = 'case.created')    AS risk_signals,
  min(ts) FILTER (WHERE type = 'case.created')                      AS created_at,
  arg_max(lane, ts) FILTER (WHERE type = 'case.triaged')            AS lane,
  arg_max(decision, ts) FILTER (WHERE type = 'review.decided')      AS last_decision,
  arg_max(final_label, ts) FILTER (WHERE type IN ('review.decided', 'case.closed') AND final_label IS NOT NULL) AS final_label,
  max(greatest(coalesce(level, 1), coalesce(to_level, 1)))             AS max_level,
  count(*) FILTER (WHERE type = 'review.decided')                   AS decisions,
  count(*) FILTER (WHERE type = 'case.reopened')                    AS reopens,
  max(ts) FILTER (WHERE type = 'case.closed')                       AS closed_at,
  arg_max(outcome, ts) FILTER (WHERE type = 'case.closed')          AS outcome,
  CASE
    WHEN max(ts) FILTER (WHERE type = 'case.closed') IS NULL THEN 'open'
    WHEN max(ts) FILTER (WHERE type = 'case.reopened') > max(ts) FILTER (WHERE type = 'case.closed') THEN 'open'
    ELSE 'closed'
  END                                                               AS state,
  max(ts)                                                           AS last_event_at
FROM events
WHERE case_id IS NOT NULL
GROUP BY case_id;
