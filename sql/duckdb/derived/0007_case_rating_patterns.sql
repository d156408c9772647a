-- case_rating_patterns: one row per case with at least one known rating (case_ratings): how
-- many raters labelled it and, with two or more, the multiset of their labels as a sorted
-- list of {label, n}, with the case's cut attributes. Fleiss, Krippendorff and Gwet need only
-- how many items share a pattern. The list is sorted after the aggregate (list_sort: by
-- label, unique in a case): list() with ORDER BY sorts within the aggregate at several times
-- the CPU.
CREATE OR REPLACE TEMP TABLE case_rating_patterns_delta AS
SELECT case_id, any_value(ratings) AS ratings,
       CASE WHEN any_value(ratings) >= 2 THEN list_sort(list({ 'label': label, 'n': n })) END AS pattern,
       any_value(workflow) AS workflow, any_value(tier) AS tier, any_value(lane) AS lane,
       any_value(model_version) AS model_version, any_value(policy_version) AS policy_version,
       any_value(created_at) AS created_at
FROM (SELECT case_id, label, count(*)::INTEGER AS n, any_value(ratings) AS ratings,
             any_value(workflow) AS workflow, any_value(tier) AS tier, any_value(lane) AS lane,
             any_value(model_version) AS model_version, any_value(policy_version) AS policy_version,
             any_value(created_at) AS created_at
      FROM case_ratings_delta GROUP BY case_id, label)
GROUP BY case_id;
