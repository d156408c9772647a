-- The derived tables (sql/duckdb/derived/) are kept in the database file between processes, in
-- a schema of their own, so that a report or a restarted server refreshes them from where the
-- last refresh left off instead of rebuilding them from the whole log (issue 14). One row says
-- where they stand in the log; src/store/duckdb/derived.ts compares it with the log at every
-- refresh and rebuilds everything when the log was rewritten under them.
CREATE SCHEMA IF NOT EXISTS loopwatch_derived;
CREATE TABLE loopwatch_derived.refresh_state (
  definition            VARCHAR NOT NULL,   -- sha256 of the derived SQL files that built the tables
  last_rowid            BIGINT NOT NULL,    -- the log's highest rowid at the mark (-1: empty)
  events                BIGINT NOT NULL,    -- events at or below it
  last_event_id         VARCHAR,            -- the event at last_rowid: rows renumbered under the mark show here
  chain_seq             BIGINT NOT NULL,    -- the chain's last link at the mark (0: none)
  chain_hash            VARCHAR,
  full_builds           BIGINT NOT NULL,
  incremental_refreshes BIGINT NOT NULL,
  refreshed_at          TIMESTAMP NOT NULL
);
