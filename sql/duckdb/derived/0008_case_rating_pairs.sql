-- case_rating_pairs: one row per case and pair of its raters (reviewer_a < reviewer_b) with
-- both labels: the cells of every pairwise Cohen table, with the case's cut attributes.
CREATE OR REPLACE TEMP TABLE case_rating_pairs_delta AS
SELECT a.case_id, a.actor_id AS reviewer_a, b.actor_id AS reviewer_b, a.label AS label_a, b.label AS label_b,
       a.workflow, a.tier, a.lane, a.model_version, a.policy_version, a.created_at
FROM case_ratings_delta a
JOIN case_ratings_delta b ON b.case_id = a.case_id AND a.actor_id < b.actor_id;
