-- loopwatch: sort by created_at
-- case_rating_patterns: the twin of sql/duckdb/derived/0007_case_rating_patterns.sql: one row
-- per rated case, its number of ratings and, with two or more, the sorted multiset of labels
-- ([] otherwise: ClickHouse has no Nullable(Array)), with the case's cut attributes.
CREATE OR REPLACE TABLE {database}.case_rating_patterns_delta ENGINE = {derived_engine} AS
SELECT case_id, any(case_ratings_n) AS ratings,
       if(any(case_ratings_n) >= 2, arraySort(p -> p.1, groupArray(CAST((label, n), 'Tuple(label String, n Int32)'))),
          CAST([] AS Array(Tuple(label String, n Int32)))) AS pattern,
       any(c_workflow) AS workflow, any(c_tier) AS tier, any(c_lane) AS lane,
       any(c_model_version) AS model_version, any(c_policy_version) AS policy_version,
       any(c_created_at) AS created_at
FROM (SELECT case_id, label, toInt32(count()) AS n, any(ratings) AS case_ratings_n,
             any(workflow) AS c_workflow, any(tier) AS c_tier, any(lane) AS c_lane,
             any(model_version) AS c_model_version, any(policy_version) AS c_policy_version,
             any(created_at) AS c_created_at
      FROM {database}.case_ratings_delta GROUP BY case_id, label)
GROUP BY case_id;
