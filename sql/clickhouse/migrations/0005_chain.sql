-- Tamper evidence (docs/security.md, "Tamper evidence"): one link per stored batch, written
-- right after the batch's events are acknowledged. hash = sha256(prev_hash, content, events),
-- content = SHA256 of the batch's stored rows (formatRowNoNewline('JSONEachRow', *) of each,
-- sorted); `loopwatch verify` recomputes both from the stored events.
CREATE TABLE IF NOT EXISTS {database}.loopwatch_chain (
  seq        UInt64,
  prev_hash  String,
  hash       String,
  content    String,
  events     UInt32,
  event_ids  Array(String),                -- sorted
  created_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY seq;
