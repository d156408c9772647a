-- Dataset export (docs/datasets.md): one row per reviewed or audited case, a page at a time in
-- case_id order (keyset: the cases after `after`, at most `page_size` of them), with what the
-- export resolves in src/feedback/datasets/: the case as created, its lane, its settled review
-- decisions since its last reopen (a reopen voids the judgments before it) as one JSON array
-- in event-time order (one text column: see the DuckDB twin), and its latest audit since that
-- reopen. One aggregation per case; text inside the decisions is never NULL ('' stands for
-- absent), as in the DuckDB twin.
WITH
page AS (
  SELECT DISTINCT assumeNotNull(case_id) AS case_id FROM {database}.events FINAL
  WHERE type IN ('review.decided', 'audit.completed') AND case_id > {after:String}
  ORDER BY case_id
  LIMIT {page_size:UInt32}
),
per_case AS (
  SELECT assumeNotNull(case_id) AS cid,
    argMinIf((event_id, workflow, tier, model_version, policy_version, prompt_version, input, output, model_label, ts),
             (ts, event_id), type = 'case.created') AS c,
    countIf(type = 'case.created') > 0 AS has_created,
    argMaxIf((event_id, lane, policy_version), (ts, event_id), type = 'case.triaged') AS t,
    countIf(type = 'case.triaged') > 0 AS has_triaged,
    -- in a tuple: argMax skips a NULL value, and the latest close's label is wanted even when absent
    argMaxIf(tuple(final_label), (ts, event_id), type = 'case.closed').1 AS closed_label_any,
    countIf(type = 'case.closed') > 0 AS has_closed,
    maxIf(ts, type = 'case.reopened') AS last_reopened_at,
    countIf(type = 'case.reopened') > 0 AS reopened,
    arraySort(x -> (x.1, x.2), groupArrayIf((ts, event_id, coalesce(actor_id, ''), coalesce(actor_role, ''),
      toInt32(coalesce(level, 1)), coalesce(decision, ''), coalesce(final_label, ''), coalesce(final_output, ''),
      coalesce(reason_code, ''), coalesce(policy_version, '')), type = 'review.decided' AND decision <> 'escalate')) AS all_ds,
    argMaxIf((event_id, actor_id, verdict, correct_label, reason_code, ts), (ts, event_id), type = 'audit.completed') AS a,
    countIf(type = 'audit.completed') > 0 AS has_audit
  FROM {database}.events FINAL
  WHERE case_id > {after:String} AND assumeNotNull(case_id) IN (SELECT case_id FROM page)
  GROUP BY cid
)
SELECT cid AS case_id,
       if(has_created, c.1, NULL) AS created_event_id,
       if(has_created, c.2, NULL) AS workflow,
       if(has_created, toInt32(c.3), NULL) AS tier,
       if(has_created, c.4, NULL) AS model_version,
       coalesce(if(has_created, c.5, NULL), if(has_triaged, t.3, NULL)) AS policy_version,
       if(has_created, c.6, NULL) AS prompt_version,
       if(has_created, c.7, NULL) AS input,
       if(has_created, c.8, NULL) AS model_output,
       if(has_created, c.9, NULL) AS model_label,
       if(has_created, c.10, NULL) AS created_at,
       if(has_triaged, t.1, NULL) AS triage_event_id,
       if(has_triaged, t.2, NULL) AS lane,
       if(has_closed, closed_label_any, NULL) AS closed_label,
       toJSONString(arrayMap(x -> (x.2, x.3, x.4, x.5, x.6, x.7, x.8, x.9, x.10),
         arrayFilter(x -> NOT reopened OR x.1 > last_reopened_at, all_ds))) AS decisions,
       if(has_audit AND (NOT reopened OR a.6 > last_reopened_at), a.1, NULL) AS audit_event_id,
       if(has_audit AND (NOT reopened OR a.6 > last_reopened_at), a.2, NULL) AS auditor_id,
       if(has_audit AND (NOT reopened OR a.6 > last_reopened_at), a.3, NULL) AS verdict,
       if(has_audit AND (NOT reopened OR a.6 > last_reopened_at), a.4, NULL) AS correct_label,
       if(has_audit AND (NOT reopened OR a.6 > last_reopened_at), a.5, NULL) AS audit_reason
FROM per_case
ORDER BY case_id;
