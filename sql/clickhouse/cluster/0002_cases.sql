-- Cluster variant: the same view on every node, over the Distributed table; FINAL runs
-- per shard, which is exact because copies of an event share a shard.
-- One row per case with its current state, derived from event time (ts), never from arrival
-- order: the twin of sql/duckdb/migrations/0002_cases.sql. FINAL makes it exact before merges.
-- ClickHouse's argMin/argMax skip NULL arguments like DuckDB's arg_min/arg_max; -OrNull gives
-- NULL (not 1970-01-01) when no row matches, as DuckDB's FILTER does.
CREATE VIEW IF NOT EXISTS {database}.cases ON CLUSTER {cluster} AS
SELECT
  case_id,
  argMinIf(workflow, ts, type = 'case.created')                          AS workflow,
  argMinIf(tier, ts, type = 'case.created')                              AS tier,
  argMinIf(model_version, ts, type = 'case.created')                     AS model_version,
  argMinIf(policy_version, ts, type = 'case.created')                    AS policy_version,
  argMinIf(confidence, ts, type = 'case.created')                        AS confidence,
  argMinIf(model_label, ts, type = 'case.created')                       AS model_label,
  argMinIf(risk_signals, ts, type = 'case.created')                      AS risk_signals,
  minIfOrNull(ts, type = 'case.created')                                 AS created_at,
  argMaxIf(lane, ts, type = 'case.triaged')                              AS lane,
  argMaxIf(decision, ts, type = 'review.decided')                        AS last_decision,
  argMaxIf(final_label, ts, type IN ('review.decided', 'case.closed') AND final_label IS NOT NULL) AS final_label,
  max(greatest(coalesce(level, 1), coalesce(to_level, 1)))               AS max_level,
  countIf(type = 'review.decided')                                       AS decisions,
  countIf(type = 'case.reopened')                                        AS reopens,
  maxIfOrNull(ts, type = 'case.closed')                                  AS closed_at,
  argMaxIf(outcome, ts, type = 'case.closed')                            AS outcome,
  CASE
    WHEN maxIfOrNull(ts, type = 'case.closed') IS NULL THEN 'open'
    WHEN maxIfOrNull(ts, type = 'case.reopened') > maxIfOrNull(ts, type = 'case.closed') THEN 'open'
    ELSE 'closed'
  END                                                                    AS state,
  max(ts)                                                                AS last_event_at
FROM {database}.events FINAL
WHERE case_id IS NOT NULL
GROUP BY case_id;
