-- loopwatch: sort by created_at
-- case_ratings: the twin of sql/duckdb/derived/0006_case_ratings.sql: one row per (case, rater)
-- with a known label; `ratings` raters labelled the case; `reference` is the latest audit's
-- label (adjudicated) or else the strict plurality of the other raters, on cases with two or
-- more ratings. Only cases in case_facts (created ones), each row with its case's cut
-- attributes. "The latest per key" (DuckDB's QUALIFY row_number() = 1) is argMax over
-- (ts, event_id); arg_max_null is argMax over a one-element tuple, which keeps NULL labels.
-- ClickHouse inlines a CTE at every use, so the steps used more than once are materialized
-- first (Memory tables, dropped at the end): without that the events were read seven times.
CREATE OR REPLACE TABLE {database}.case_ratings_ev ENGINE = Memory AS
SELECT case_id, actor_id, ts, event_id, type, decision, final_label, verdict, correct_label
FROM {delta_events} WHERE case_id IS NOT NULL AND type IN ('review.decided', 'audit.completed', 'case.closed');

-- every rating event: labelling decisions, and audits with the label they endorse
CREATE OR REPLACE TABLE {database}.case_ratings_src ENGINE = Memory AS
WITH
decided AS (
  -- approving without a label agrees with the model's; escalate hands the case on: no rating
  SELECT e.case_id AS case_id, e.actor_id AS actor_id, e.ts AS ts, e.event_id AS event_id,
         coalesce(e.final_label, if(e.decision = 'approve', c.model_label, NULL)) AS label
  FROM {database}.case_ratings_ev e JOIN {database}.case_facts_delta c ON c.case_id = e.case_id
  WHERE e.type = 'review.decided' AND e.decision IN ('approve', 'override', 'reject') AND e.actor_id IS NOT NULL
)
SELECT case_id, actor_id, ts, event_id, label, false AS is_audit FROM decided
UNION ALL
-- a 'correct' verdict endorses the label the case ended with: its latest close's, else its
-- latest labelling decision's (case_facts.final_label skips label-less decisions)
SELECT e.case_id, e.actor_id, e.ts, e.event_id, if(e.verdict = 'incorrect', e.correct_label, f.label), true
FROM {database}.case_ratings_ev e
LEFT JOIN (
  SELECT coalesce(cl.case_id, d.case_id) AS case_id, coalesce(cl.label, d.label) AS label
  FROM (SELECT case_id, argMax(tuple(label), (ts, event_id)).1 AS label FROM decided GROUP BY case_id) d
  FULL JOIN (SELECT case_id, argMax(tuple(final_label), (ts, event_id)).1 AS label
             FROM {database}.case_ratings_ev WHERE type = 'case.closed' GROUP BY case_id) cl ON cl.case_id = d.case_id
) f ON f.case_id = e.case_id
WHERE e.type = 'audit.completed' AND e.actor_id IS NOT NULL;

-- one rating per (case, actor): their latest; a latest without a label is a missing rating
CREATE OR REPLACE TABLE {database}.case_ratings_known ENGINE = Memory AS
SELECT case_id, actor_id, label, count() OVER (PARTITION BY case_id) AS ratings
FROM (SELECT case_id, actor_id, argMax(tuple(label), (ts, event_id)).1 AS label
      FROM {database}.case_ratings_src GROUP BY case_id, actor_id)
WHERE label IS NOT NULL;

CREATE OR REPLACE TABLE {database}.case_ratings_delta ENGINE = {derived_engine} AS
WITH
audit_reference AS (
  -- the adjudicated label: the latest audit's, when it gives one
  SELECT case_id, argMax(actor_id, (ts, event_id)) AS auditor, argMax(tuple(label), (ts, event_id)).1 AS label
  FROM {database}.case_ratings_src WHERE is_audit GROUP BY case_id
),
-- leave-one-out strict plurality (a reviewer's own vote would inflate their agreement with the
-- majority; a tie among the others gives no reference), from each case's label counts: taking
-- one's own vote away lowers only one's own label by one (the twin's comments give the cases).
-- Joining every rating with every other of its case was quadratic in a case's raters (issue 13).
label_votes AS (
  SELECT case_id, assumeNotNull(label) AS label, count() AS n FROM {database}.case_ratings_known GROUP BY case_id, label
),
case_tops AS (
  SELECT case_id, any(top) AS t1, countIf(n = top) AS s1, minIf(label, n = top) AS top_a, maxIf(label, n = top) AS top_b,
         maxIf(n, n < top) AS t2
  FROM (SELECT case_id, label, n, max(n) OVER (PARTITION BY case_id) AS top FROM label_votes)
  GROUP BY case_id
),
majority AS (
  SELECT r.case_id AS case_id, r.actor_id AS actor_id,
         multiIf(v.n < t.t1, if(t.s1 = 1, toNullable(t.top_a), NULL),
                 t.s1 = 1, if(t.t1 - 1 > t.t2, toNullable(v.label), NULL),
                 t.s1 = 2, toNullable(if(t.top_a = v.label, t.top_b, t.top_a)),
                 NULL) AS label
  FROM {database}.case_ratings_known r
  JOIN label_votes v ON v.case_id = r.case_id AND v.label = assumeNotNull(r.label)
  JOIN case_tops t ON t.case_id = r.case_id
)
SELECT r.case_id AS case_id, r.actor_id AS actor_id, assumeNotNull(r.label) AS label, toInt32(r.ratings) AS ratings,
       -- the auditor's own label is the reference: comparing it with itself says nothing
       if(r.ratings >= 2 AND NOT (a.label IS NOT NULL AND a.auditor = r.actor_id), coalesce(a.label, m.label), NULL) AS reference,
       CAST(a.label IS NOT NULL AS Bool) AS adjudicated,
       -- the case's cut attributes, so that agreement queries need no join with case_facts
       c.workflow AS workflow, c.tier AS tier, c.lane AS lane, c.model_version AS model_version,
       c.policy_version AS policy_version, c.created_at AS created_at
FROM {database}.case_ratings_known r
JOIN {database}.case_facts_delta c ON c.case_id = r.case_id
LEFT JOIN audit_reference a ON a.case_id = r.case_id
LEFT JOIN majority m ON m.case_id = r.case_id AND m.actor_id = r.actor_id;

DROP TABLE {database}.case_ratings_ev;
DROP TABLE {database}.case_ratings_src;
DROP TABLE {database}.case_ratings_known;
