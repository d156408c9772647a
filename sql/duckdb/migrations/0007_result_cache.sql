-- Metric results kept between processes (issue 14): the one-shot `loopwatch report` reuses a
-- family's result (agreement's, bootstrap intervals included) that an earlier process computed
-- from the same derived tables. `key` names what else the result depends on (cut, settings,
-- code: src/metrics/result-cache.ts); `version` is the derived tables' refresh_state at the
-- time, and an entry is read only while it is still theirs (src/store/duckdb/result-cache.ts).
-- One row per (family, key): a newer result replaces it. No index: a few dozen rows.
CREATE TABLE loopwatch_results (
  family    VARCHAR NOT NULL,
  key       VARCHAR NOT NULL,
  version   VARCHAR NOT NULL,
  value     VARCHAR NOT NULL,   -- the result as JSON
  stored_at TIMESTAMP NOT NULL
);
