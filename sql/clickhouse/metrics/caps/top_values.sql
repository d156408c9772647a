-- The values a capped dimension keeps (docs/metrics.md#label-cardinality): the cap_workflow
-- workflows with most cases and the cap_reviewer reviewers with most decisions (ties by
-- value, so the rule is deterministic), each with how many distinct values there are in all.
WITH w AS (
  SELECT workflow AS value, count() AS n FROM {database}.case_facts WHERE workflow IS NOT NULL GROUP BY workflow
), r AS (
  SELECT actor_id AS value, count() AS n FROM {database}.decision_facts WHERE actor_id IS NOT NULL GROUP BY actor_id
), ranked AS (
  SELECT 'workflow' AS dimension, toString(value) AS value, row_number() OVER (ORDER BY n DESC, value) AS rank,
         count() OVER () AS distinct_values
  FROM w
  UNION ALL
  SELECT 'reviewer' AS dimension, toString(value) AS value, row_number() OVER (ORDER BY n DESC, value) AS rank,
         count() OVER () AS distinct_values
  FROM r
)
SELECT dimension, value, toUInt64(distinct_values) AS distinct_values
FROM ranked
WHERE (dimension = 'workflow' AND rank <= {cap_workflow:UInt32}) OR (dimension = 'reviewer' AND rank <= {cap_reviewer:UInt32})
ORDER BY dimension, rank
