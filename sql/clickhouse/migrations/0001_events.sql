-- The raw event log, one row per accepted event: the same columns as sql/duckdb (EVENT_COLUMNS),
-- typed for ClickHouse. Placeholders {database} and {ttl_days} come from configuration
-- (validated identifier / integer), never from data.
--
-- Duplicates: the store looks ids up before inserting (projection by_event_id) and retries an
-- insert with the same insert_deduplication_token, so a duplicate row is rare (two writers racing
-- on one event). ReplacingMergeTree removes such rows at merge time; every query reads
-- `events FINAL` (or dedups by event_id), so results are exact before merges too. The sort key is
-- the replacing key, so every column in it is a function of the event itself (a retry has the
-- same workflow, type and ts) and it ends in event_id.
--
-- On a cluster (src/store/clickhouse/cluster-ddl.ts) this becomes events_local on every shard and
-- a Distributed `events` over it. Sharding by case (caseless events by their id) keeps all copies
-- of one event, and all events of one case, on one shard: FINAL and the ReplacingMergeTree dedup
-- work per shard, which is then exact for the whole cluster, and per-case aggregation needs no
-- cross-shard merge of rows.
-- loopwatch: cluster shard by cityHash64(coalesce(case_id, event_id))
CREATE TABLE IF NOT EXISTS {database}.events (
  event_id       String,
  type           LowCardinality(String),
  ts             DateTime64(3, 'UTC'),
  received_at    DateTime64(3, 'UTC'),
  case_id        Nullable(String),
  workflow       LowCardinality(Nullable(String)),
  actor_id       Nullable(String),
  actor_role     LowCardinality(Nullable(String)),
  policy_version Nullable(String),
  tier           Nullable(UInt8),
  model_version  Nullable(String),
  prompt_version Nullable(String),
  confidence     Nullable(Float64),
  model_label    Nullable(String),
  model_action   Nullable(String),
  risk_signals   Array(LowCardinality(String)),   -- no Nullable(Array): an absent list reads as []
  features       Nullable(String),                -- JSON text; read with JSONExtract*
  input          Nullable(String),
  output         Nullable(String),
  lane           LowCardinality(Nullable(String)),
  rule_ids       Array(LowCardinality(String)),
  sampled        Nullable(Bool),
  sampling_rate  Nullable(Float64),
  level          Nullable(UInt8),
  decision       LowCardinality(Nullable(String)),
  final_label    Nullable(String),
  final_output   Nullable(String),
  reason_code    LowCardinality(Nullable(String)),
  gate_id        Nullable(String),
  gate_checks    Nullable(String),                -- JSON text
  from_level     Nullable(UInt8),
  to_level       Nullable(UInt8),
  trigger        LowCardinality(Nullable(String)),
  outcome        LowCardinality(Nullable(String)),
  verdict        LowCardinality(Nullable(String)),
  correct_label  Nullable(String),
  severity       LowCardinality(Nullable(String)),
  attrs          Nullable(String),                -- JSON text
  -- the replacing version: the earliest arrival wins, as with DuckDB's INSERT OR IGNORE.
  -- MATERIALIZED keeps it out of SELECT *, so both engines show the same columns.
  first_stored   UInt64 MATERIALIZED 18446744073709551615 - toUInt64(toUnixTimestamp64Milli(received_at)),
  -- one case's events (case_state, case_events) without a full scan
  INDEX case_id_bloom case_id TYPE bloom_filter GRANULARITY 4,
  -- "which of these ids are stored?" at ingest, by primary-key lookups instead of a scan
  PROJECTION by_event_id (SELECT event_id ORDER BY event_id)
)
ENGINE = ReplacingMergeTree(first_stored)
PARTITION BY toYYYYMM(ts)
PRIMARY KEY (workflow, toDate(ts), type)
ORDER BY (workflow, toDate(ts), type, ts, event_id)
-- retention by event time; 0 keeps everything
TTL toDateTime(ts) + toIntervalDay({ttl_days}) WHERE {ttl_days} > 0
SETTINGS
  allow_nullable_key = 1,
  -- a retried insert carries the same insert_deduplication_token; remember that many blocks
  non_replicated_deduplication_window = 10000,
  -- merges of a ReplacingMergeTree drop rows, so the projection is rebuilt for merged parts
  deduplicate_merge_projection_mode = 'rebuild';
