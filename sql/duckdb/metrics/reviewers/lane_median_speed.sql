-- The median time a decision takes in each lane, over every reviewer of each group of the cut
-- (the g_* columns of workload but the reviewer, over the whole window, not per
-- bucket): the yardstick a reviewer's speed is judged against, so a reviewer of one workflow
-- is compared with that workflow's lanes.
-- Same filters as the reviewers, except the reviewer.
SELECT lane,
       -- the reviewer is a column of its own here and the rows are over the whole window (no bucket)
       {{cut.group_columns(reviewer=none, time=none)}},
       count(seconds) AS timed, quantile_cont(seconds, 0.5) AS seconds_p50
FROM decision_facts
-- every reviewer of the group: the yardstick, not the reviewer filtered on
WHERE {{cut.filters(reviewer=none, time=ts)}}
GROUP BY ALL
ORDER BY ALL;
