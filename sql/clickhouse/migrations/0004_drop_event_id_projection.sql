-- The by_event_id projection (0001) served the ingest-time lookup of stored ids by id alone.
-- Ids from senders are random, so a lookup of a batch's thousands of ids touched nearly every
-- granule of the projection in every part: its cost grew with the table, and ClickHouse often
-- declined the projection and scanned the table instead. The lookup now goes through the
-- primary index, restricted to the batch's own (workflow, toDate(ts), type) ranges
-- (src/store/clickhouse/stored-ids.ts), and nothing else reads the projection, which is built
-- on every insert and rebuilt on every merge.
ALTER TABLE {database}.events DROP PROJECTION IF EXISTS by_event_id;
