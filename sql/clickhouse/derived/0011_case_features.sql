-- loopwatch: sort by created_at
-- case_features: the twin of sql/duckdb/derived/0011_case_features.sql: one row per created case
-- and key of its `features` object (case_facts.features: the earliest case.created carrying
-- them), parsed once here rather than at every drift run, with the case's cut attributes. A
-- JSON number is a numeric value (num_value), a JSON string a category (cat_value); other JSON
-- types are skipped.
CREATE OR REPLACE TABLE {database}.case_features_delta ENGINE = {derived_engine} AS
SELECT case_id, kv.1 AS feature,
       if(toString(JSONType(kv.2)) = 'String', 'categorical', 'numeric')                AS kind,
       if(toString(JSONType(kv.2)) = 'String', NULL, toNullable(JSONExtractFloat(kv.2))) AS num_value,
       if(toString(JSONType(kv.2)) = 'String', toNullable(JSONExtractString(kv.2)), NULL) AS cat_value,
       workflow, tier, lane, model_version, policy_version, final_reviewer, created_at
FROM {database}.case_facts_delta
ARRAY JOIN JSONExtractKeysAndValuesRaw(assumeNotNull(features)) AS kv
WHERE features IS NOT NULL AND toString(JSONType(kv.2)) IN ('Int64', 'UInt64', 'Double', 'String');
