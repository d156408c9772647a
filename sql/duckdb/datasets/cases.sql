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
  -- one list of structs, sorted by its first fields (ts, event_id) once it is built: an ordered
  -- aggregate (list(... ORDER BY ...)) measured several times slower
  SELECT d.case_id,
         list_sort(list({'t': d.ts, 'e': d.event_id, 'a': coalesce(d.actor_id, ''), 'r': coalesce(d.actor_role, ''),
               'l': coalesce(d.level, 1)::INTEGER, 'd': d.decision, 'fl': coalesce(d.final_label, ''),
               'fo': coalesce(d.final_output, ''), 'rc': coalesce(d.reason_code, ''), 'p': coalesce(d.policy_version, '')})) AS ds
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
       coalesce(list_transform(d.ds, x -> x.e), []::VARCHAR[]) AS d_event_id,
       coalesce(list_transform(d.ds, x -> x.a), []::VARCHAR[]) AS d_actor,
       coalesce(list_transform(d.ds, x -> x.r), []::VARCHAR[]) AS d_role,
       coalesce(list_transform(d.ds, x -> x.l), []::INTEGER[]) AS d_level,
       coalesce(list_transform(d.ds, x -> x.d), []::VARCHAR[]) AS d_decision,
       coalesce(list_transform(d.ds, x -> x.fl), []::VARCHAR[]) AS d_label,
       coalesce(list_transform(d.ds, x -> x.fo), []::VARCHAR[]) AS d_output,
       coalesce(list_transform(d.ds, x -> x.rc), []::VARCHAR[]) AS d_reason,
       coalesce(list_transform(d.ds, x -> x.p), []::VARCHAR[]) AS d_policy,
       a.audit_event_id, a.auditor_id, a.verdict, a.correct_label, a.audit_reason
FROM page p
LEFT JOIN created c USING (case_id)
LEFT JOIN triaged t USING (case_id)
LEFT JOIN decided d USING (case_id)
LEFT JOIN audited a USING (case_id)
LEFT JOIN closed cl USING (case_id)
ORDER BY p.case_id;
