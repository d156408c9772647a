-- The cut's filters (src/metrics/cuts.ts, docs/sql.md): an absent filter is NULL and matches
-- every row; the window [from, to) is on the metric's own time column. The parameters are
-- inlined as literals, so DuckDB drops the filters not asked for.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by AND
($workflow IS NULL OR {{workflow}} = $workflow)
($tier IS NULL OR {{tier}} = $tier)
($lane IS NULL OR {{lane}} = $lane)
($model_version IS NULL OR {{model_version}} = $model_version)
($policy_version IS NULL OR {{policy_version}} = $policy_version)
($reviewer IS NULL OR {{reviewer}} = $reviewer)
($from IS NULL OR {{time}} >= $from)
($to IS NULL OR {{time}} < $to)
