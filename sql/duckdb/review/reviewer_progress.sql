-- Per reviewer within the cut (docs/review.md#reviewers): queue items assigned in the window
-- (the derived assignments) and how many had ended by the window's end (or $now, if earlier);
-- and the reviewer's ratings on adjudicated cases (an audit's label is the reference) with how
-- many agreed with it. Items are cut by assigned_at, ratings by the case's created_at.
SELECT reviewer, sum(assigned) AS assigned, sum(done) AS done, sum(adjudicated) AS adjudicated, sum(agreed) AS agreed
FROM (
  SELECT a.actor_id AS reviewer, 1 AS assigned,
         CASE WHEN a.ended_at IS NOT NULL AND a.ended_at <= least(coalesce($to, $now::TIMESTAMP), $now::TIMESTAMP) THEN 1 ELSE 0 END AS done,
         0 AS adjudicated, 0 AS agreed
  FROM assignments a JOIN case_facts c ON c.case_id = a.case_id
  WHERE {{cut.filters(table=c, reviewer=a.actor_id, time=a.assigned_at)}}
  UNION ALL
  SELECT actor_id, 0, 0, 1, CASE WHEN label = reference THEN 1 ELSE 0 END
  FROM case_ratings
  WHERE adjudicated AND reference IS NOT NULL AND {{cut.filters(reviewer=actor_id, time=created_at)}}
)
GROUP BY reviewer
ORDER BY reviewer;
