-- case_rating_patterns: the twin of sql/duckdb/derived/0007_case_rating_patterns.sql: one row
-- per rated case, its number of ratings and, with two or more, the sorted multiset of labels
-- ([] otherwise: ClickHouse has no Nullable(Array)).
CREATE OR REPLACE TABLE {database}.case_rating_patterns ENGINE = MergeTree ORDER BY tuple() AS
SELECT case_id, any(case_ratings_n) AS ratings,
       if(any(case_ratings_n) >= 2, arraySort(p -> p.1, groupArray(CAST((label, n), 'Tuple(label String, n Int32)'))),
          CAST([] AS Array(Tuple(label String, n Int32)))) AS pattern
FROM (SELECT case_id, label, any(ratings) AS case_ratings_n, toInt32(count()) AS n
      FROM {database}.case_ratings GROUP BY case_id, label)
GROUP BY case_id;
