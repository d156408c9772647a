-- The span of event time (the demo generator continues after the last event; the SLA calendar
-- follows metrics/sla/event_days instead).
SELECT minOrNull(ts) AS min_ts, maxOrNull(ts) AS max_ts FROM {database}.events;
