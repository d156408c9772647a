-- Every sampling.changed in [$from, $to) (docs/sampling.md): a workflow's sampling audit trail,
-- and the changes a metric window counts. Event-time order, ties by event_id.
SELECT workflow, event_id, ts, actor_id, actor_role, attrs
FROM events
WHERE type = 'sampling.changed' AND workflow IS NOT NULL
  AND ($workflow IS NULL OR workflow = $workflow)
  AND ($from IS NULL OR ts >= $from)
  AND ($to IS NULL OR ts < $to)
ORDER BY ts, event_id;
