-- Stored events per workflow and type, with the time span they cover: the demo's
-- at-a-glance view and a quick check that ingest is flowing.
SELECT
  e.workflow                        AS workflow,  -- null: no workflow (docs/metrics.md)
  e.type                            AS type,
  count()                           AS events,
  min(e.ts)                         AS first_ts,
  max(e.ts)                         AS last_ts
FROM {database}.events AS e FINAL
GROUP BY workflow, type
ORDER BY workflow, type;
