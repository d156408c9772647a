-- The UTC days (epoch day numbers) holding events: every SLA clock starts at an event, so the
-- business calendar is built around these days only, never over the span between the first
-- and the last (src/metrics/sla/data-calendar.ts). As many rows as days with data.
SELECT DISTINCT CAST(floor(epoch_ms(ts) / 86400000) AS BIGINT) AS day FROM events ORDER BY day;
