-- The latest sampling.changed of each workflow (docs/sampling.md): the state and rate in force
-- come from it, so they survive restarts and read the same on both engines. Latest by event
-- time, ties by event_id; only events before $to when given (the controller's "now").
SELECT workflow, event_id, ts, actor_id, actor_role, attrs
FROM events
WHERE type = 'sampling.changed' AND workflow IS NOT NULL
  AND ($workflow IS NULL OR workflow = $workflow)
  AND ($to IS NULL OR ts < $to)
QUALIFY row_number() OVER (PARTITION BY workflow ORDER BY ts DESC, event_id DESC) = 1
ORDER BY workflow;
