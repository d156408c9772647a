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
-- Leave-one-out strict plurality (a reviewer's own vote would inflate their agreement with the
-- majority; a tie among the others gives no reference), from each case's label counts: taking
-- one's own vote away lowers only one's own label by one. Joining every rating with every
-- other of its case was quadratic in a case's raters (issue 13).
label_votes AS (
  SELECT case_id, label, count(*) AS n FROM rated_known GROUP BY ALL
),
case_tops AS (
  -- the highest count t1, how many labels have it (s1), the first two of them, and the
  -- highest count below t1 (t2, 0 when none)
  SELECT case_id, any_value(top) AS t1, count(*) FILTER (WHERE n = top) AS s1,
         min(label) FILTER (WHERE n = top) AS top_a, max(label) FILTER (WHERE n = top) AS top_b,
         coalesce(max(n) FILTER (WHERE n < top), 0) AS t2
  FROM (SELECT *, max(n) OVER (PARTITION BY case_id) AS top FROM label_votes)
  GROUP BY case_id
),
majority AS (
  SELECT r.case_id, r.actor_id,
         CASE
           -- one's label is not on top: the others' top is what it was
           WHEN v.n < t.t1 THEN CASE WHEN t.s1 = 1 THEN t.top_a END
           -- one's label alone on top: it stays there only if still ahead of the rest
           WHEN t.s1 = 1 THEN CASE WHEN t.t1 - 1 > t.t2 THEN r.label END
           -- tied on top with exactly one other label: that one leads
           WHEN t.s1 = 2 THEN CASE WHEN t.top_a = r.label THEN t.top_b ELSE t.top_a END
         END AS label
  FROM rated_known r
  JOIN label_votes v ON v.case_id = r.case_id AND v.label = r.label
  JOIN case_tops t ON t.case_id = r.case_id
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
