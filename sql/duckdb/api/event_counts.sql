-- Stored events per workflow and type, with the time span they cover: the demo's
-- at-a-glance view and a quick check that ingest is flowing.
SELECT
  workflow,                         -- null: no workflow (docs/metrics.md)
  type,
  count(*)::BIGINT                  AS events,
  min(ts)                           AS first_ts,
  max(ts)                           AS last_ts
FROM events
GROUP BY ALL
ORDER BY workflow, type;
