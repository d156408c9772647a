-- case_ratings: one row per (case, rater) with a known label, for reviewer agreement
-- (docs/metrics/agreement.md). A rating is a rater's latest labelling decision or audit of the
-- case; `ratings` is how many raters labelled the case; `reference` is what that rater is
-- compared with: the latest audit's label (adjudicated) or else the strict plurality of the
-- other raters (leave-one-out), and only on cases with two or more ratings. Only cases in
-- case_facts (created ones): cuts need their attributes.
CREATE OR REPLACE TEMP TABLE case_ratings_delta AS
WITH
decided AS (
  -- approving without a label agrees with the model's; escalate hands the case on: no rating
  SELECT e.case_id, e.actor_id, e.ts, e.event_id,
         coalesce(e.final_label, CASE WHEN e.decision = 'approve' THEN c.model_label END) AS label
  FROM delta_events e JOIN case_facts_delta c USING (case_id)
  WHERE e.type = 'review.decided' AND e.decision IN ('approve', 'override', 'reject') AND e.actor_id IS NOT NULL
),
case_final AS (
  -- the label the case ended with: its latest close's, else its latest labelling decision's
  -- (case_facts.final_label skips label-less decisions, so an approval after an override
  -- would keep the override's label there)
  SELECT case_id, coalesce(cl.label, d.label) AS label
  FROM (SELECT case_id, arg_max_null(label, (ts, event_id)) AS label FROM decided GROUP BY case_id) d
  FULL JOIN (SELECT case_id, arg_max_null(final_label, (ts, event_id)) AS label
             FROM delta_events WHERE type = 'case.closed' GROUP BY case_id) cl USING (case_id)
),
audited AS (
  -- a 'correct' verdict endorses the label the case ended with
  SELECT e.case_id, e.actor_id, e.ts, e.event_id,
         CASE WHEN e.verdict = 'incorrect' THEN e.correct_label ELSE f.label END AS label
  FROM delta_events e LEFT JOIN case_final f USING (case_id)
  WHERE e.type = 'audit.completed' AND e.actor_id IS NOT NULL
),
rated AS (
  -- one rating per (case, actor): their latest; a latest without a label is a missing rating
  SELECT case_id, actor_id, label
  FROM (SELECT * FROM decided UNION ALL SELECT * FROM audited)
  QUALIFY row_number() OVER (PARTITION BY case_id, actor_id ORDER BY ts DESC, event_id DESC) = 1
),
rated_known AS (
  SELECT case_id, actor_id, label, count(*) OVER (PARTITION BY case_id) AS ratings
  FROM rated WHERE label IS NOT NULL
),
audit_reference AS (
  -- the adjudicated label: the latest audit's, when it gives one
  SELECT case_id, actor_id AS auditor, label
  FROM audited
  QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY ts DESC, event_id DESC) = 1
),
other_votes AS (
  -- leave-one-out: a reviewer's own vote would inflate their agreement with the majority
  SELECT r.case_id, r.actor_id, o.label, count(*) AS votes
  FROM rated_known r JOIN rated_known o ON o.case_id = r.case_id AND o.actor_id <> r.actor_id
  GROUP BY ALL
),
majority AS (
  -- strict plurality; a tie among the others gives no reference
  SELECT case_id, actor_id, any_value(label) AS label
  FROM (SELECT *, max(votes) OVER (PARTITION BY case_id, actor_id) AS top FROM other_votes)
  WHERE votes = top
  GROUP BY case_id, actor_id
  HAVING count(*) = 1
)
SELECT r.case_id, r.actor_id, r.label, r.ratings::INTEGER AS ratings,
       -- the auditor's own label is the reference: comparing it with itself says nothing
       CASE WHEN r.ratings >= 2 AND NOT (a.label IS NOT NULL AND a.auditor = r.actor_id)
            THEN coalesce(a.label, m.label) END AS reference,
       a.label IS NOT NULL AS adjudicated,
       -- the case's cut attributes, so that agreement queries need no join with case_facts
       c.workflow, c.tier, c.lane, c.model_version, c.policy_version, c.created_at
FROM rated_known r
JOIN case_facts_delta c USING (case_id)
LEFT JOIN audit_reference a ON a.case_id = r.case_id
LEFT JOIN majority m ON m.case_id = r.case_id AND m.actor_id = r.actor_id;
