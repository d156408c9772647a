-- The span of event time (the demo generator continues after the last event; the SLA calendar
-- follows metrics/sla/event_days instead).
SELECT min(ts) AS min_ts, max(ts) AS max_ts FROM events;
