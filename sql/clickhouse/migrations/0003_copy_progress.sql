-- Checkpoints of `loopwatch copy` (src/store/copy.ts), one row per source, latest wins: a copy
-- that stopped resumes after the last batch ClickHouse acknowledged.
CREATE TABLE IF NOT EXISTS {database}.loopwatch_copy_progress (
  source      String,
  position    String,          -- the last source key copied (an event_id)
  copied      UInt64,          -- rows sent so far, duplicates included
  updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source;
