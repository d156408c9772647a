-- Stop-the-line per cut (docs/metrics/quality.md#stop-the-line): each line.stopped is paired
-- with the next line.resumed of the same workflow strictly after it (by ts, over all events,
-- so a resume after the window still counts); a stop with none is open and enters the time
-- quantiles with its age at $now. Bucketed and windowed by the stop's ts. A line belongs to a
-- workflow only: a filter on any other dimension matches no stop, and grouping by one puts
-- every stop under NULL.
WITH stops AS (
  SELECT workflow, ts FROM log_events WHERE type = 'line.stopped'
),
resumes AS (
  SELECT workflow, ts FROM log_events WHERE type = 'line.resumed'
),
paired AS (
  SELECT s.workflow, s.ts AS stopped_at, r.ts AS resumed_at,
         greatest(date_diff('millisecond', s.ts, coalesce(r.ts, $now::TIMESTAMP)), 0) / 1000.0 AS seconds
  FROM stops s ASOF LEFT JOIN resumes r ON s.workflow = r.workflow AND s.ts < r.ts
)
SELECT
  -- a line has a workflow only: the other dimensions are neither grouped nor filtered on
  {{cut.group_columns(tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=stopped_at)}},
  count(*)                                                          AS stops,
  count(resumed_at)                                                 AS resumed,
  -- quantile_cont: linear interpolation between order statistics (Hyndman-Fan type 7)
  quantile_cont(seconds, 0.5)                                       AS p50_seconds,
  quantile_cont(seconds, 0.9)                                       AS p90_seconds,
  max(seconds)                                                      AS max_seconds
FROM paired
WHERE {{cut.filters(tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=stopped_at)}}
  -- a filter on a dimension a line does not have matches no stop
  AND $tier IS NULL AND $lane IS NULL AND $model_version IS NULL
  AND $policy_version IS NULL AND $reviewer IS NULL
GROUP BY ALL
ORDER BY ALL;
