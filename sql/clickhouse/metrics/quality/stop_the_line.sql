-- Stop-the-line per cut (docs/metrics/quality.md#stop-the-line): each line.stopped paired with
-- the next line.resumed of the same workflow strictly after it; an open stop enters the time
-- quantiles with its age at the `now` parameter. Twin of sql/duckdb/metrics/quality/stop_the_line.sql; stops
-- and resumes come from the derived log_events.
WITH stops AS (
  SELECT assumeNotNull(workflow) AS workflow, ts FROM {database}.log_events WHERE type = 'line.stopped' AND workflow IS NOT NULL
),
resumes AS (
  SELECT assumeNotNull(workflow) AS workflow, ts FROM {database}.log_events WHERE type = 'line.resumed' AND workflow IS NOT NULL
),
paired AS (
  SELECT s.workflow AS workflow, s.ts AS stopped_at, r.ts AS resumed_at,
         greatest(dateDiff('millisecond', s.ts, coalesce(r.ts, {now:DateTime64(3, 'UTC')})), 0) / 1000.0 AS seconds
  FROM stops s ASOF LEFT JOIN resumes r ON s.workflow = r.workflow AND s.ts < r.ts
)
SELECT
  -- a line has a workflow only: the other dimensions are neither grouped nor filtered on
  {{cut.group_columns(tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=stopped_at)}},
  count()                                                           AS stops,
  count(resumed_at)                                                 AS resumed,
  quantileExactInclusive(0.5)(seconds)                              AS p50_seconds,
  quantileExactInclusive(0.9)(seconds)                              AS p90_seconds,
  max(seconds)                                                      AS max_seconds
FROM paired
WHERE {{cut.filters(tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=stopped_at)}}
  -- a filter on a dimension a line does not have matches no stop
  AND {tier:Nullable(UInt8)} IS NULL AND {lane:Nullable(String)} IS NULL AND {model_version:Nullable(String)} IS NULL
  AND {policy_version:Nullable(String)} IS NULL AND {reviewer:Nullable(String)} IS NULL
GROUP BY ALL
ORDER BY ALL;
