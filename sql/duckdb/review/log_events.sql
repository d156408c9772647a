-- The rare caseless events of a period (docs/review.md): line stops and resumes, incidents and
-- sampling-rate changes (sampling.changed, docs/contracts), in time order, with the fields
-- their types carry beyond the columns (attrs). Read from the event log itself: log_events
-- holds neither sampling changes nor attrs. Only the workflow filter and the window apply;
-- an incident without a workflow concerns every workflow.
SELECT event_id, type, ts, workflow, case_id, actor_id, actor_role, "trigger", severity, attrs
FROM events
WHERE type IN ('line.stopped', 'line.resumed', 'incident.reported', 'sampling.changed')
  AND ($workflow IS NULL OR workflow = $workflow OR (workflow IS NULL AND type = 'incident.reported'))
  AND ($from IS NULL OR ts >= $from)
  AND ($to IS NULL OR ts < $to)
ORDER BY ts, event_id;
