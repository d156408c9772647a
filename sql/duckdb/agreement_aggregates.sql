-- Reviewer agreement aggregates (docs/metrics/agreement.md). One statement, so that the
-- definition of a rating lives in one place; four row kinds, each an aggregate per cut group:
--   rated     cases with at least one rating (n)
--   pattern   items (cases with ≥ 2 ratings) per distinct label multiset `pattern` (n)
--   pair      (reviewer_a < reviewer_b, label_a, label_b) over cases both rated (n)
--   reference (reviewer, label, reference, adjudicated) over items with a reference label (n)
-- Rows grow with groups × distinct patterns / pairs / labels, never with events.
-- Cases are cut by their own attributes and created_at; the reviewer filter (or group_by
-- reviewer) keeps the cases that reviewer rated and, of pairs and references, their own.
WITH
decided AS (
  -- approving without a label agrees with the model's; escalate hands the case on: no rating
  SELECT e.case_id, e.actor_id, e.ts, e.event_id,
         coalesce(e.final_label, CASE WHEN e.decision = 'approve' THEN c.model_label END) AS label
  FROM events e JOIN case_facts c USING (case_id)
  WHERE e.type = 'review.decided' AND e.decision IN ('approve', 'override', 'reject') AND e.actor_id IS NOT NULL
),
case_final AS (
  -- the label the case ended with: its latest close's, else its latest labelling decision's
  -- (case_facts.final_label skips label-less decisions, so an approval after an override
  -- would keep the override's label there)
  SELECT case_id, coalesce(cl.label, d.label) AS label
  FROM (SELECT case_id, arg_max_null(label, (ts, event_id)) AS label FROM decided GROUP BY case_id) d
  FULL JOIN (SELECT case_id, arg_max_null(final_label, (ts, event_id)) AS label
             FROM events WHERE type = 'case.closed' GROUP BY case_id) cl USING (case_id)
),
audited AS (
  -- a 'correct' verdict endorses the label the case ended with
  SELECT e.case_id, e.actor_id, e.ts, e.event_id,
         CASE WHEN e.verdict = 'incorrect' THEN e.correct_label ELSE f.label END AS label
  FROM events e LEFT JOIN case_final f USING (case_id)
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
),
scope AS (
  SELECT DISTINCT r.case_id, r.ratings,
         CASE WHEN list_contains($group_by, 'reviewer') OR $reviewer IS NOT NULL THEN r.actor_id END AS focus
  FROM rated_known r
  WHERE $reviewer IS NULL OR r.actor_id = $reviewer
),
cut AS (
  SELECT s.case_id, s.ratings, s.focus,
         CASE WHEN list_contains($group_by, 'workflow') THEN c.workflow END             AS g_workflow,
         CASE WHEN list_contains($group_by, 'tier') THEN c.tier END                     AS g_tier,
         CASE WHEN list_contains($group_by, 'lane') THEN c.lane END                     AS g_lane,
         CASE WHEN list_contains($group_by, 'model_version') THEN c.model_version END   AS g_model_version,
         CASE WHEN list_contains($group_by, 'policy_version') THEN c.policy_version END AS g_policy_version,
         CASE WHEN list_contains($group_by, 'reviewer') THEN s.focus END                AS g_reviewer,
         date_trunc($bucket, c.created_at)                                              AS g_bucket
  FROM scope s JOIN case_facts c USING (case_id)
  WHERE ($workflow IS NULL OR c.workflow = $workflow)
    AND ($tier IS NULL OR c.tier = $tier)
    AND ($lane IS NULL OR c.lane = $lane)
    AND ($model_version IS NULL OR c.model_version = $model_version)
    AND ($policy_version IS NULL OR c.policy_version = $policy_version)
    AND ($from IS NULL OR c.created_at >= $from)
    AND ($to IS NULL OR c.created_at < $to)
),
patterns AS (
  SELECT case_id, list({ 'label': label, 'n': n } ORDER BY label) AS pattern
  FROM (SELECT case_id, label, count(*)::INTEGER AS n FROM rated_known WHERE ratings >= 2 GROUP BY ALL)
  GROUP BY case_id
),
refs AS (
  SELECT r.case_id, r.actor_id, r.label, coalesce(a.label, m.label) AS reference, a.label IS NOT NULL AS adjudicated
  FROM rated_known r
  LEFT JOIN audit_reference a ON a.case_id = r.case_id
  LEFT JOIN majority m ON m.case_id = r.case_id AND m.actor_id = r.actor_id
  -- the auditor's own label is the reference: comparing it with itself says nothing
  WHERE r.ratings >= 2 AND NOT (a.label IS NOT NULL AND a.auditor = r.actor_id)
)
SELECT 'rated' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(*) AS n
FROM cut GROUP BY ALL
UNION ALL BY NAME
SELECT 'pattern' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       p.pattern, count(*) AS n
FROM cut JOIN patterns p USING (case_id) GROUP BY ALL
UNION ALL BY NAME
SELECT 'pair' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       a.actor_id AS reviewer_a, b.actor_id AS reviewer_b, a.label AS label_a, b.label AS label_b, count(*) AS n
FROM cut
JOIN rated_known a ON a.case_id = cut.case_id
JOIN rated_known b ON b.case_id = cut.case_id AND a.actor_id < b.actor_id
WHERE cut.focus IS NULL OR cut.focus IN (a.actor_id, b.actor_id)
GROUP BY ALL
UNION ALL BY NAME
SELECT 'reference' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       f.actor_id AS reviewer, f.label, f.reference, f.adjudicated, count(*) AS n
FROM cut JOIN refs f ON f.case_id = cut.case_id
WHERE f.reference IS NOT NULL AND (cut.focus IS NULL OR f.actor_id = cut.focus)
GROUP BY ALL
ORDER BY ALL;
