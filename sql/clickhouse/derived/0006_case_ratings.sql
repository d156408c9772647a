-- case_ratings: the twin of sql/duckdb/derived/0006_case_ratings.sql: one row per (case, rater)
-- with a known label; `ratings` raters labelled the case; `reference` is the latest audit's
-- label (adjudicated) or else the strict plurality of the other raters, on cases with two or
-- more ratings. Only cases in case_facts (created ones), each row with its case's cut
-- attributes. "The latest per key" (DuckDB's QUALIFY row_number() = 1) is argMax over
-- (ts, event_id); arg_max_null is argMax over a one-element tuple, which keeps NULL labels.
CREATE OR REPLACE TABLE {database}.case_ratings_delta ENGINE = MergeTree ORDER BY tuple() AS
WITH
ev AS (SELECT * FROM {delta_events} WHERE case_id IS NOT NULL AND type IN ('review.decided', 'audit.completed', 'case.closed')),
decided AS (
  -- approving without a label agrees with the model's; escalate hands the case on: no rating
  SELECT e.case_id AS case_id, e.actor_id AS actor_id, e.ts AS ts, e.event_id AS event_id,
         coalesce(e.final_label, if(e.decision = 'approve', c.model_label, NULL)) AS label
  FROM ev e JOIN {database}.case_facts_delta c ON c.case_id = e.case_id
  WHERE e.type = 'review.decided' AND e.decision IN ('approve', 'override', 'reject') AND e.actor_id IS NOT NULL
),
case_final AS (
  -- the label the case ended with: its latest close's, else its latest labelling decision's
  SELECT coalesce(cl.case_id, d.case_id) AS case_id, coalesce(cl.label, d.label) AS label
  FROM (SELECT case_id, argMax(tuple(label), (ts, event_id)).1 AS label FROM decided GROUP BY case_id) d
  FULL JOIN (SELECT case_id, argMax(tuple(final_label), (ts, event_id)).1 AS label
             FROM ev WHERE type = 'case.closed' GROUP BY case_id) cl ON cl.case_id = d.case_id
),
audited AS (
  -- a 'correct' verdict endorses the label the case ended with
  SELECT e.case_id AS case_id, e.actor_id AS actor_id, e.ts AS ts, e.event_id AS event_id,
         if(e.verdict = 'incorrect', e.correct_label, f.label) AS label
  FROM ev e LEFT JOIN case_final f ON f.case_id = e.case_id
  WHERE e.type = 'audit.completed' AND e.actor_id IS NOT NULL
),
rated AS (
  -- one rating per (case, actor): their latest; a latest without a label is a missing rating
  SELECT case_id, actor_id, argMax(tuple(label), (ts, event_id)).1 AS label
  FROM (SELECT case_id, actor_id, ts, event_id, label FROM decided
        UNION ALL SELECT case_id, actor_id, ts, event_id, label FROM audited)
  GROUP BY case_id, actor_id
),
rated_known AS (
  SELECT case_id, actor_id, label, count() OVER (PARTITION BY case_id) AS ratings
  FROM rated WHERE label IS NOT NULL
),
audit_reference AS (
  -- the adjudicated label: the latest audit's, when it gives one
  SELECT case_id, argMax(actor_id, (ts, event_id)) AS auditor, argMax(tuple(label), (ts, event_id)).1 AS label
  FROM audited GROUP BY case_id
),
other_votes AS (
  -- leave-one-out: a reviewer's own vote would inflate their agreement with the majority
  SELECT r.case_id AS case_id, r.actor_id AS actor_id, o.label AS label, count() AS votes
  FROM rated_known r JOIN rated_known o ON o.case_id = r.case_id
  WHERE o.actor_id != r.actor_id
  GROUP BY r.case_id, r.actor_id, o.label
),
majority AS (
  -- strict plurality; a tie among the others gives no reference
  SELECT case_id, actor_id, any(label) AS label
  FROM (SELECT *, max(votes) OVER (PARTITION BY case_id, actor_id) AS top FROM other_votes)
  WHERE votes = top
  GROUP BY case_id, actor_id
  HAVING count() = 1
)
SELECT r.case_id AS case_id, r.actor_id AS actor_id, assumeNotNull(r.label) AS label, toInt32(r.ratings) AS ratings,
       -- the auditor's own label is the reference: comparing it with itself says nothing
       if(r.ratings >= 2 AND NOT (a.label IS NOT NULL AND a.auditor = r.actor_id), coalesce(a.label, m.label), NULL) AS reference,
       CAST(a.label IS NOT NULL AS Bool) AS adjudicated,
       -- the case's cut attributes, so that agreement queries need no join with case_facts
       c.workflow AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
       c.policy_version AS policy_version, c.created_at AS created_at
FROM rated_known r
JOIN {database}.case_facts_delta c ON c.case_id = r.case_id
LEFT JOIN audit_reference a ON a.case_id = r.case_id
LEFT JOIN majority m ON m.case_id = r.case_id AND m.actor_id = r.actor_id;
