-- Dataset export (docs/datasets.md): one row per reviewed or audited case, a page at a time in
-- case_id order (keyset: the cases after $after, at most $page_size of them), with what the
-- export resolves in src/feedback/datasets/: the case as created, its lane, its settled review
-- decisions since its last reopen (a reopen voids the judgments before it) as parallel lists
-- in event-time order, and its latest audit since that reopen. Text columns are never NULL
-- inside the lists ('' stands for absent) so that both engines give lists of equal length.
WITH page AS (
  SELECT DISTINCT case_id FROM events
  WHERE type IN ('review.decided', 'audit.completed') AND case_id > $after
  ORDER BY case_id
  LIMIT $page_size
),
ev AS (
  SELECT * FROM events
  WHERE case_id > $after AND case_id IN (SELECT case_id FROM page)
),
created AS (
  SELECT case_id, event_id AS created_event_id, workflow, tier, model_version, policy_version,
         prompt_version, input, output AS model_output, model_label, ts AS created_at
  FROM ev WHERE type = 'case.created'
  QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY ts, event_id) = 1
),
triaged AS (
  SELECT case_id, event_id AS triage_event_id, lane, policy_version AS triage_policy_version
  FROM ev WHERE type = 'case.triaged'
  QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY ts DESC, event_id DESC) = 1
),
reopened AS (
  SELECT case_id, max(ts) AS last_reopened_at FROM ev WHERE type = 'case.reopened' GROUP BY case_id
),
decided AS (
  SELECT d.case_id,
         list(d.event_id ORDER BY d.ts, d.event_id)                         AS d_event_id,
         list(coalesce(d.actor_id, '') ORDER BY d.ts, d.event_id)           AS d_actor,
         list(coalesce(d.actor_role, '') ORDER BY d.ts, d.event_id)         AS d_role,
         list(coalesce(d.level, 1)::INTEGER ORDER BY d.ts, d.event_id)      AS d_level,
         list(d.decision ORDER BY d.ts, d.event_id)                         AS d_decision,
         list(coalesce(d.final_label, '') ORDER BY d.ts, d.event_id)        AS d_label,
         list(coalesce(d.final_output, '') ORDER BY d.ts, d.event_id)       AS d_output,
         list(coalesce(d.reason_code, '') ORDER BY d.ts, d.event_id)        AS d_reason,
         list(coalesce(d.policy_version, '') ORDER BY d.ts, d.event_id)     AS d_policy
  FROM ev d LEFT JOIN reopened r USING (case_id)
  WHERE d.type = 'review.decided' AND d.decision <> 'escalate'
    AND (r.last_reopened_at IS NULL OR d.ts > r.last_reopened_at)
  GROUP BY d.case_id
),
audited AS (
  SELECT a.case_id, a.event_id AS audit_event_id, a.actor_id AS auditor_id, a.verdict,
         a.correct_label, a.reason_code AS audit_reason
  FROM ev a LEFT JOIN reopened r USING (case_id)
  WHERE a.type = 'audit.completed' AND (r.last_reopened_at IS NULL OR a.ts > r.last_reopened_at)
  QUALIFY row_number() OVER (PARTITION BY a.case_id ORDER BY a.ts DESC, a.event_id DESC) = 1
),
closed AS (
  SELECT case_id, final_label AS closed_label
  FROM ev WHERE type = 'case.closed'
  QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY ts DESC, event_id DESC) = 1
)
SELECT p.case_id,
       c.created_event_id, c.workflow, c.tier::INTEGER AS tier, c.model_version,
       coalesce(c.policy_version, t.triage_policy_version) AS policy_version, c.prompt_version,
       c.input, c.model_output, c.model_label, c.created_at,
       t.triage_event_id, t.lane, cl.closed_label,
       coalesce(d.d_event_id, []::VARCHAR[]) AS d_event_id,
       coalesce(d.d_actor, []::VARCHAR[])    AS d_actor,
       coalesce(d.d_role, []::VARCHAR[])     AS d_role,
       coalesce(d.d_level, []::INTEGER[])    AS d_level,
       coalesce(d.d_decision, []::VARCHAR[]) AS d_decision,
       coalesce(d.d_label, []::VARCHAR[])    AS d_label,
       coalesce(d.d_output, []::VARCHAR[])   AS d_output,
       coalesce(d.d_reason, []::VARCHAR[])   AS d_reason,
       coalesce(d.d_policy, []::VARCHAR[])   AS d_policy,
       a.audit_event_id, a.auditor_id, a.verdict, a.correct_label, a.audit_reason
FROM page p
LEFT JOIN created c USING (case_id)
LEFT JOIN triaged t USING (case_id)
LEFT JOIN decided d USING (case_id)
LEFT JOIN audited a USING (case_id)
LEFT JOIN closed cl USING (case_id)
ORDER BY p.case_id;
