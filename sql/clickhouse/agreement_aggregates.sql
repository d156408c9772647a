-- Reviewer agreement aggregates (docs/metrics/agreement.md): the twin of
-- sql/duckdb/agreement_aggregates.sql, four row kinds (rated, pattern, pair, reference), each an
-- aggregate per cut group. DuckDB's UNION ALL BY NAME is spelled out: every branch lists every
-- column, in DuckDB's order, with typed NULLs; an absent `pattern` is [] (no Nullable(Array)).
-- "The latest per key" (DuckDB's QUALIFY row_number() = 1) is argMax over (ts, event_id), and
-- arg_max_null is argMax over a one-element tuple, which keeps NULL labels.
WITH
ev AS (SELECT * FROM {database}.events FINAL WHERE case_id IS NOT NULL AND type IN ('review.decided', 'audit.completed', 'case.closed')),
decided AS (
  -- approving without a label agrees with the model's; escalate hands the case on: no rating
  SELECT e.case_id AS case_id, e.actor_id AS actor_id, e.ts AS ts, e.event_id AS event_id,
         coalesce(e.final_label, if(e.decision = 'approve', c.model_label, NULL)) AS label
  FROM ev e JOIN {database}.case_facts c ON c.case_id = e.case_id
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
),
scope AS (
  SELECT DISTINCT r.case_id AS case_id, r.ratings AS ratings,
         if(has({group_by:Array(String)}, 'reviewer') OR {reviewer:Nullable(String)} IS NOT NULL, r.actor_id, NULL) AS focus
  FROM rated_known r
  WHERE {reviewer:Nullable(String)} IS NULL OR r.actor_id = {reviewer:Nullable(String)}
),
cut AS (
  SELECT s.case_id AS case_id, s.ratings AS ratings, s.focus AS focus,
         CASE WHEN has({group_by:Array(String)}, 'workflow') THEN c.workflow END             AS g_workflow,
         CASE WHEN has({group_by:Array(String)}, 'tier') THEN c.tier END                     AS g_tier,
         CASE WHEN has({group_by:Array(String)}, 'lane') THEN c.lane END                     AS g_lane,
         CASE WHEN has({group_by:Array(String)}, 'model_version') THEN c.model_version END   AS g_model_version,
         CASE WHEN has({group_by:Array(String)}, 'policy_version') THEN c.policy_version END AS g_policy_version,
         CASE WHEN has({group_by:Array(String)}, 'reviewer') THEN s.focus END                AS g_reviewer,
         multiIf({bucket:Nullable(String)} = 'hour', toStartOfHour(c.created_at),
                 {bucket:Nullable(String)} = 'day', toStartOfDay(c.created_at),
                 {bucket:Nullable(String)} = 'week', toDateTime(toMonday(c.created_at), 'UTC'), NULL) AS g_bucket
  FROM scope s JOIN {database}.case_facts c ON c.case_id = s.case_id
  WHERE ({workflow:Nullable(String)} IS NULL OR c.workflow = {workflow:Nullable(String)})
    AND ({tier:Nullable(UInt8)} IS NULL OR c.tier = {tier:Nullable(UInt8)})
    AND ({lane:Nullable(String)} IS NULL OR c.lane = {lane:Nullable(String)})
    AND ({model_version:Nullable(String)} IS NULL OR c.model_version = {model_version:Nullable(String)})
    AND ({policy_version:Nullable(String)} IS NULL OR c.policy_version = {policy_version:Nullable(String)})
    AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR c.created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
    AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR c.created_at < {to:Nullable(DateTime64(3, 'UTC'))})
),
patterns AS (
  SELECT case_id, arraySort(p -> p.1, groupArray(CAST((label, n), 'Tuple(label String, n Int32)'))) AS pattern
  FROM (SELECT case_id, assumeNotNull(label) AS label, toInt32(count()) AS n FROM rated_known WHERE ratings >= 2 GROUP BY case_id, label)
  GROUP BY case_id
),
refs AS (
  SELECT r.case_id AS case_id, r.actor_id AS actor_id, r.label AS label, coalesce(a.label, m.label) AS reference,
         CAST(a.label IS NOT NULL AS Bool) AS adjudicated
  FROM rated_known r
  LEFT JOIN audit_reference a ON a.case_id = r.case_id
  LEFT JOIN majority m ON m.case_id = r.case_id AND m.actor_id = r.actor_id
  -- the auditor's own label is the reference: comparing it with itself says nothing
  WHERE r.ratings >= 2 AND NOT (a.label IS NOT NULL AND a.auditor = r.actor_id)
),
-- in ClickHouse an ORDER BY after UNION ALL orders the last branch only: sort the whole below
kinds AS (
SELECT 'rated' AS kind, g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count() AS n, CAST([] AS Array(Tuple(label String, n Int32))) AS pattern,
       CAST(NULL AS Nullable(String)) AS reviewer_a, CAST(NULL AS Nullable(String)) AS reviewer_b,
       CAST(NULL AS Nullable(String)) AS label_a, CAST(NULL AS Nullable(String)) AS label_b,
       CAST(NULL AS Nullable(String)) AS reviewer, CAST(NULL AS Nullable(String)) AS label,
       CAST(NULL AS Nullable(String)) AS reference, CAST(NULL AS Nullable(Bool)) AS adjudicated
FROM cut GROUP BY ALL
UNION ALL
SELECT 'pattern', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(), p.pattern, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cut JOIN patterns p ON p.case_id = cut.case_id
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, p.pattern
UNION ALL
SELECT 'pair', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(), [], a.actor_id, b.actor_id, a.label, b.label, NULL, NULL, NULL, NULL
FROM cut
JOIN rated_known a ON a.case_id = cut.case_id
JOIN rated_known b ON b.case_id = cut.case_id
WHERE a.actor_id < b.actor_id AND (cut.focus IS NULL OR cut.focus = a.actor_id OR cut.focus = b.actor_id)
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, a.actor_id, b.actor_id, a.label, b.label
UNION ALL
SELECT 'reference', g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket,
       count(), [], NULL, NULL, NULL, NULL, f.actor_id, f.label, f.reference, f.adjudicated
FROM cut JOIN refs f ON f.case_id = cut.case_id
WHERE f.reference IS NOT NULL AND (cut.focus IS NULL OR f.actor_id = cut.focus)
GROUP BY g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, f.actor_id, f.label, f.reference, f.adjudicated
)
SELECT * FROM kinds
ORDER BY ALL;
