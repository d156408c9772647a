-- The primary key on event_id was the idempotency check, and its ART index cost more than
-- everything else about storing an event (issue 14: 17 of 30 µs per event, and memory that
-- grows with the log). The writer now skips ids already stored with one set-based anti-join
-- per batch (src/store/duckdb/duckdb-store.ts); it is the only writer of this table, one batch
-- at a time, so the check cannot race. DuckDB cannot drop a key in place: the log is copied
-- in rowid order into the same table without it (rowids, and so `copy` checkpoints and the
-- derived tables' marks, stay what they were).
CREATE TABLE events_unkeyed (
  event_id       VARCHAR NOT NULL,
  type           VARCHAR NOT NULL,
  ts             TIMESTAMP NOT NULL,
  received_at    TIMESTAMP NOT NULL,
  case_id        VARCHAR,
  workflow       VARCHAR,
  actor_id       VARCHAR,
  actor_role     VARCHAR,
  policy_version VARCHAR,
  tier           UTINYINT,
  model_version  VARCHAR,
  prompt_version VARCHAR,
  confidence     DOUBLE,
  model_label    VARCHAR,
  model_action   VARCHAR,
  risk_signals   VARCHAR[],
  features       VARCHAR,
  input          VARCHAR,
  output         VARCHAR,
  lane           VARCHAR,
  rule_ids       VARCHAR[],
  sampled        BOOLEAN,
  sampling_rate  DOUBLE,
  level          UTINYINT,
  decision       VARCHAR,
  final_label    VARCHAR,
  final_output   VARCHAR,
  reason_code    VARCHAR,
  gate_id        VARCHAR,
  gate_checks    VARCHAR,
  from_level     UTINYINT,
  to_level       UTINYINT,
  "trigger"      VARCHAR,
  outcome        VARCHAR,
  verdict        VARCHAR,
  correct_label  VARCHAR,
  severity       VARCHAR,
  attrs          VARCHAR
);
INSERT INTO events_unkeyed SELECT * FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_unkeyed RENAME TO events;
