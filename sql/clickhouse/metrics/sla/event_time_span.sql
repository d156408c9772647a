-- The span of event time, which the SLA business calendar must cover.
SELECT minOrNull(ts) AS min_ts, maxOrNull(ts) AS max_ts FROM {database}.events;
