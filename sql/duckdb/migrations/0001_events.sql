-- The append-only raw event log: one row per accepted event, typed columns for the
-- contract's fields, JSON text (VARCHAR) for open-ended objects: validated once at ingest, so
-- storing them as the JSON type would only parse them a second time. event_id is the
-- idempotency key.
CREATE TABLE events (
  event_id       VARCHAR PRIMARY KEY,
  type           VARCHAR NOT NULL,
  ts             TIMESTAMP NOT NULL,      -- UTC, millisecond precision
  received_at    TIMESTAMP NOT NULL,      -- UTC, when Loopwatch first stored it
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
  features       VARCHAR,                 -- JSON text
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
  gate_checks    VARCHAR,                 -- JSON text
  from_level     UTINYINT,
  to_level       UTINYINT,
  "trigger"      VARCHAR,
  outcome        VARCHAR,
  verdict        VARCHAR,
  correct_label  VARCHAR,
  severity       VARCHAR,
  attrs          VARCHAR                  -- JSON text
);
