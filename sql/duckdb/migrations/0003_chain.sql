-- Tamper evidence (docs/security.md, "Tamper evidence"): one link per stored batch, written in
-- the same transaction as the batch's events. hash = sha256(prev_hash, content, events), content
-- = sha256 of the batch's stored rows (to_json of each, in event_id order); `loopwatch verify`
-- recomputes both from the stored events.
CREATE TABLE loopwatch_chain (
  seq        BIGINT PRIMARY KEY,
  prev_hash  VARCHAR NOT NULL,
  hash       VARCHAR NOT NULL,
  content    VARCHAR NOT NULL,
  events     INTEGER NOT NULL,
  event_ids  VARCHAR[] NOT NULL,           -- sorted
  created_at TIMESTAMP NOT NULL
);
