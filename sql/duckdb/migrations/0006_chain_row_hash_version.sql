-- Chain links name the definition of the row hash their content was computed with, so that
-- `loopwatch verify` checks each link as it was written (src/store/duckdb/chain.ts):
--   1: sha256(to_json(row)) computed by the engine, every link written before this migration;
--   2: sha256 of the row's line as the writer staged it for read_json (row-text.ts: non-null
--      columns in table order, timestamps as epoch microseconds), made again from the stored
--      row by verify. Same batch content (id, tab, row hash, by id) and link hash otherwise.
ALTER TABLE loopwatch_chain ADD COLUMN row_hash INTEGER DEFAULT 1;
