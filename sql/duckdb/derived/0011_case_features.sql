-- case_features: one row per created case and key of its `features` object (the earliest
-- case.created carrying them, as in case_facts), parsed once here rather than at every drift
-- run, with the case's cut attributes. A JSON number is a numeric value (num_value), a JSON
-- string a category (cat_value); other JSON types are not in the event contract and are skipped.
CREATE OR REPLACE TEMP TABLE case_features_delta AS
-- (Cast to a MAP and unnested: ten times faster than json_each here.)
SELECT c.case_id, j.key AS feature,
       CASE WHEN j.type = 'VARCHAR' THEN 'categorical' ELSE 'numeric' END AS kind,
       CASE WHEN j.type <> 'VARCHAR' THEN TRY_CAST(j.value AS DOUBLE) END AS num_value,
       CASE WHEN j.type = 'VARCHAR' THEN j.value ->> '$' END          AS cat_value,
       c.workflow, c.tier, c.lane, c.model_version, c.policy_version, c.final_reviewer, c.created_at
FROM (SELECT case_id, workflow, tier, lane, model_version, policy_version, final_reviewer, created_at,
             unnest(map_entries(features::JSON::MAP(VARCHAR, JSON))) AS e
      FROM case_facts_delta WHERE features IS NOT NULL) c,
     (SELECT c.e.key AS key, c.e.value AS value, json_type(c.e.value) AS type) j
WHERE j.type IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'VARCHAR');
