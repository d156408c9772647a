-- The latest stop of each clock metrics/queues/time_to times, in epoch milliseconds. Twin of
-- sql/duckdb/metrics/queues/last_stop.sql.
SELECT toUnixTimestamp64Milli(max(first_ack_at)) AS acknowledge_ms, toUnixTimestamp64Milli(max(primary_at)) AS decide_ms,
       toUnixTimestamp64Milli(max(first_escalated_at)) AS escalate_ms, toUnixTimestamp64Milli(max(first_closed_at)) AS close_ms
FROM {database}.case_clocks;
