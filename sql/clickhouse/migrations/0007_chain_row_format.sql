-- Which row text a chain link's content was computed from (src/store/clickhouse/row-text.ts):
-- 1, SHA256 of the row as JSONEachRow, read back from the table after the insert (every link
-- written before this migration); 2, the row's RowBinary bytes as the insert sent them, so a
-- batch is no longer read back (issue 14). `loopwatch verify` checks each link with its own.
ALTER TABLE {database}.loopwatch_chain ADD COLUMN IF NOT EXISTS row_format UInt8 DEFAULT 1;
