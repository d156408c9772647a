-- Per reviewer: queue items assigned in the window and ended by its end (or now), ratings on
-- adjudicated cases and agreement with them: the twin of sql/duckdb/review/reviewer_progress.sql.
SELECT reviewer, sum(assigned) AS assigned, sum(done) AS done, sum(adjudicated) AS adjudicated, sum(agreed) AS agreed
FROM (
  SELECT a.actor_id AS reviewer, 1 AS assigned,
         if(a.ended_at IS NOT NULL AND a.ended_at <= least(coalesce({to:Nullable(DateTime64(3, 'UTC'))}, {now:DateTime64(3, 'UTC')}), {now:DateTime64(3, 'UTC')}), 1, 0) AS done,
         0 AS adjudicated, 0 AS agreed
  FROM {database}.assignments a JOIN {database}.case_facts c ON c.case_id = a.case_id
  WHERE {{cut.filters(table=c, reviewer=a.actor_id, time=a.assigned_at)}}
  UNION ALL
  -- positional: aliases named like case_ratings' columns would replace them in WHERE (ClickHouse)
  SELECT actor_id, 0, 0, 1, if(label = reference, 1, 0)
  FROM {database}.case_ratings
  WHERE adjudicated AND reference IS NOT NULL AND {{cut.filters(reviewer=actor_id, time=created_at)}}
)
GROUP BY reviewer
ORDER BY reviewer;
