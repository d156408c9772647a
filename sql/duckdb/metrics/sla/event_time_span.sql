-- The span of event time, which the SLA business calendar must cover.
SELECT min(ts) AS min_ts, max(ts) AS max_ts FROM events;
