-- loopwatch: sort by created_at
-- case_rating_pairs: the twin of sql/duckdb/derived/0008_case_rating_pairs.sql: one row per
-- case and pair of its raters (reviewer_a < reviewer_b) with both labels, the cells of every
-- pairwise Cohen table, with the case's cut attributes.
CREATE OR REPLACE TABLE {database}.case_rating_pairs_delta ENGINE = {derived_engine} AS
SELECT a.case_id AS case_id, a.actor_id AS reviewer_a, b.actor_id AS reviewer_b, a.label AS label_a, b.label AS label_b,
       a.workflow AS workflow, a.tier AS tier, a.lane AS lane, a.model_version AS model_version,
       a.policy_version AS policy_version, a.created_at AS created_at
FROM {database}.case_ratings_delta a
JOIN {database}.case_ratings_delta b ON b.case_id = a.case_id
WHERE a.actor_id < b.actor_id;
