-- Where the derived tables (sql/clickhouse/derived/, kept in the database) stand in the event
-- log, so that a later process (the CLI's report, a restarted server) refreshes them from there
-- instead of rebuilding them from the whole log (issue 14). One row, the latest refresh wins;
-- src/store/clickhouse/derived.ts compares it with the log and rebuilds when it does not match.
CREATE TABLE IF NOT EXISTS {database}.loopwatch_derived_state (
  id                    UInt8,
  definition            String,                 -- sha256 of the derived SQL files that built the tables
  rows                  UInt64,                 -- the log's raw row count at the mark
  received              String,                 -- its newest received_at, as ClickHouse renders it
  chain_seq             UInt64,                 -- the chain's last link at the mark (0: none)
  chain_hash            String,
  full_builds           UInt64,
  incremental_refreshes UInt64,
  refreshed_at          DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY id;
