-- The cut's filters (src/metrics/cuts.ts, docs/sql.md): an absent filter is NULL and matches
-- every row; the window [from, to) is on the metric's own time column.
-- Arguments: the column that holds each dimension in the caller's rows; time has no default.
-- loopwatch: params workflow=workflow tier=tier lane=lane model_version=model_version policy_version=policy_version reviewer=reviewer time
-- loopwatch: joined by AND
({workflow:Nullable(String)} IS NULL OR {{workflow}} = {workflow:Nullable(String)})
({tier:Nullable(UInt8)} IS NULL OR {{tier}} = {tier:Nullable(UInt8)})
({lane:Nullable(String)} IS NULL OR {{lane}} = {lane:Nullable(String)})
({model_version:Nullable(String)} IS NULL OR {{model_version}} = {model_version:Nullable(String)})
({policy_version:Nullable(String)} IS NULL OR {{policy_version}} = {policy_version:Nullable(String)})
({reviewer:Nullable(String)} IS NULL OR {{reviewer}} = {reviewer:Nullable(String)})
({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR {{time}} >= {from:Nullable(DateTime64(3, 'UTC'))})
({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR {{time}} < {to:Nullable(DateTime64(3, 'UTC'))})
