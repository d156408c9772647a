-- Metric results kept between processes (issue 14): the one-shot `loopwatch report` reuses a
-- family's result (agreement's, bootstrap intervals included) that an earlier process computed
-- from the same derived tables. `key` names what else the result depends on (cut, settings,
-- code: src/metrics/result-cache.ts); `version` is loopwatch_derived_state's latest row at the
-- time, and an entry is read only while it is still that (src/store/clickhouse/result-cache.ts).
-- One row per (family, key), the latest wins.
CREATE TABLE IF NOT EXISTS {database}.loopwatch_results (
  family    String,
  key       String,
  version   String,
  value     String,                  -- the result as JSON
  stored_at DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (family, key);
