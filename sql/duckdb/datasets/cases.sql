-- Dataset export (docs/datasets.md): one row per reviewed or audited case, a page at a time in
-- case_id order (keyset: the cases after $after, at most $page_size of them), with what the
-- export resolves in src/feedback/datasets/: the case as created, its lane, its settled review
-- decisions since its last reopen (a reopen voids the judgments before it) as one JSON array
-- in event-time order, and its latest audit since that reopen. One scan of the page's events
-- and one aggregation per case, as in the ClickHouse twin; text inside the decisions is never
-- NULL ('' stands for absent), as there.
WITH page AS (
  SELECT DISTINCT case_id FROM events
  WHERE type IN ('review.decided', 'audit.completed') AND case_id > $after
  ORDER BY case_id
  LIMIT $page_size
),
per_case AS (
  SELECT case_id,
    -- whole structs: arg_min/arg_max skip a NULL value, and a struct is never NULL
    arg_min({'id': event_id, 'workflow': workflow, 'tier': tier, 'model_version': model_version, 'policy_version': policy_version,
             'prompt_version': prompt_version, 'input': input, 'output': output, 'model_label': model_label, 'ts': ts},
            (ts, event_id)) FILTER (WHERE type = 'case.created') AS c,
    arg_max({'id': event_id, 'lane': lane, 'policy_version': policy_version}, (ts, event_id)) FILTER (WHERE type = 'case.triaged') AS t,
    arg_max({'label': final_label}, (ts, event_id)) FILTER (WHERE type = 'case.closed') AS cl,
    max(ts) FILTER (WHERE type = 'case.reopened') AS last_reopened_at,
    -- one list of structs sorted by its first fields (ts, event_id) once built: an ordered
    -- aggregate (list(... ORDER BY ...)) measured several times slower
    list_sort(list({'t': ts, 'e': event_id, 'a': coalesce(actor_id, ''), 'r': coalesce(actor_role, ''),
               'l': coalesce(level, 1)::INTEGER, 'd': decision, 'fl': coalesce(final_label, ''),
               'fo': coalesce(final_output, ''), 'rc': coalesce(reason_code, ''), 'p': coalesce(policy_version, '')})
         FILTER (WHERE type = 'review.decided' AND decision <> 'escalate')) AS ds,
    arg_max({'id': event_id, 'actor': actor_id, 'verdict': verdict, 'correct': correct_label, 'reason': reason_code, 'ts': ts},
            (ts, event_id)) FILTER (WHERE type = 'audit.completed') AS a
  FROM events
  WHERE case_id > $after AND case_id IN (SELECT case_id FROM page)
  GROUP BY case_id
),
voided AS (
  SELECT *, list_filter(coalesce(ds, []), x -> last_reopened_at IS NULL OR x.t > last_reopened_at) AS kept,
         a IS NOT NULL AND (last_reopened_at IS NULL OR a.ts > last_reopened_at) AS audit_counts
  FROM per_case
)
SELECT case_id,
       c.id AS created_event_id, c.workflow, c.tier::INTEGER AS tier, c.model_version,
       coalesce(c.policy_version, t.policy_version) AS policy_version, c.prompt_version,
       c.input, c.output AS model_output, c.model_label, c.ts AS created_at,
       t.id AS triage_event_id, t.lane, cl.label AS closed_label,
       -- the decisions as one JSON text ([[event_id, actor, role, level, decision, label, output,
       -- reason, policy], ...]): turning nine LIST columns into JS values took the reader longer
       -- than the query (0.5 to 0.8 s a 20,000-case page), one text and JSON.parse 0.2 s
       to_json(list_transform(kept, x -> json_array(x.e, x.a, x.r, x.l, x.d, x.fl, x.fo, x.rc, x.p)))::VARCHAR AS decisions,
       CASE WHEN audit_counts THEN a.id END      AS audit_event_id,
       CASE WHEN audit_counts THEN a.actor END   AS auditor_id,
       CASE WHEN audit_counts THEN a.verdict END AS verdict,
       CASE WHEN audit_counts THEN a.correct END AS correct_label,
       CASE WHEN audit_counts THEN a.reason END  AS audit_reason
FROM voided
ORDER BY case_id;
