-- The UTC days (epoch day numbers) holding events: every SLA clock starts at an event, so the
-- business calendar is built around these days only, never over the span between the first
-- and the last (src/metrics/sla/data-calendar.ts). As many rows as days with data.
SELECT DISTINCT toInt64(floor(toUnixTimestamp64Milli(ts) / 86400000)) AS day FROM {database}.events ORDER BY day;
