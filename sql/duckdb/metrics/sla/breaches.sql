-- SLA outcomes per cut and stage (docs/metrics/queues-sla.md#sla-breaches): every clock that
-- has started by $now and has a target in the policy is met, breached, open and already
-- breached, or pending. Policy and business calendar come as parameter lists (rule_*, cal_*:
-- src/metrics/sla/params.ts). Window and bucket: the clock's start.
WITH
rules AS (
  SELECT unnest($rule_workflow) AS r_workflow, unnest($rule_lane) AS r_lane, unnest($rule_stage) AS r_stage,
         unnest($rule_kind) AS r_kind, unnest($rule_amount)::DOUBLE AS r_amount
),
cal AS (
  SELECT unnest($cal_start)::BIGINT AS p_start, unnest($cal_end)::BIGINT AS p_end,
         unnest($cal_cum)::BIGINT AS p_cum, unnest($cal_day)::BIGINT AS p_day
),
days AS (SELECT p_day AS d_day, min(p_cum) AS d_cum, sum(p_end - p_start) AS d_len FROM cal GROUP BY p_day),
periods AS (SELECT c.*, c.p_cum + (c.p_end - c.p_start) AS p_cum_end, d.d_cum, d.d_len FROM cal c JOIN days d ON d.d_day = c.p_day),
line_stops AS (
  SELECT s.workflow, s.ts AS started_at, r.ts AS stopped_at
  FROM (SELECT workflow, ts FROM log_events WHERE type = 'line.stopped') s
  ASOF LEFT JOIN (SELECT workflow, ts FROM log_events WHERE type = 'line.resumed') r ON s.workflow = r.workflow AND s.ts < r.ts
),
-- a case clock also stops at the case's first close: the item has left the queue
clocks AS (
  SELECT 'acknowledge' AS stage, first_assignee AS reviewer, first_assigned_at AS started_at, least(first_ack_at, first_closed_at) AS stopped_at,
         workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE first_assigned_at IS NOT NULL
  UNION ALL
  SELECT 'complete', coalesce(completed_by, last_assignee), started_at, completed_at, workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE started_at IS NOT NULL
  UNION ALL
  SELECT 'primary', coalesce(primary_by, first_assignee), started_at, least(primary_at, first_closed_at), workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE lane = 'dual_review' AND started_at IS NOT NULL
  UNION ALL
  SELECT 'secondary', coalesce(secondary_by, last_assignee), started_at, least(secondary_at, first_closed_at), workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE lane = 'dual_review' AND started_at IS NOT NULL
  UNION ALL
  -- high risk: tier 3 or a high-risk signal; any decision (escalate included) or escalation stops it
  SELECT 'escalate', first_assignee, started_at, least(first_decided_at, first_escalated_at, first_closed_at), workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE started_at IS NOT NULL AND (tier = 3 OR list_has_any(risk_signals, $high_risk_signals))
  UNION ALL
  SELECT 'sample_review', first_auditor, started_at, first_audited_at, workflow, tier, lane, model_version, policy_version
  FROM case_clocks WHERE lane = 'auto_approve' AND sampled AND started_at IS NOT NULL
  UNION ALL
  SELECT 'resolve', NULL, started_at, stopped_at, workflow, NULL, 'stop_the_line', NULL, NULL
  FROM line_stops
),
-- the rule in force per (workflow, lane, stage) present in the clocks, resolved once (a
-- workflow's own rule wins over the lane default; 'off' and unknown kinds drop the clock), so
-- that each clock takes one hash join instead of two and a filter
resolved AS (
  SELECT k.workflow, k.lane, s.stage, coalesce(w.r_kind, d.r_kind) AS kind, coalesce(w.r_amount, d.r_amount) AS amount
  FROM (SELECT DISTINCT workflow, lane FROM case_clocks
        UNION SELECT DISTINCT workflow, 'stop_the_line' FROM log_events WHERE type = 'line.stopped') k
  CROSS JOIN (SELECT DISTINCT r_stage AS stage FROM rules) s
  LEFT JOIN rules w ON w.r_workflow = k.workflow AND w.r_lane = k.lane AND w.r_stage = s.stage
  LEFT JOIN rules d ON d.r_workflow = '' AND d.r_lane = k.lane AND d.r_stage = s.stage
  WHERE coalesce(w.r_kind, d.r_kind) IN ('wall', 'business', 'business_days', 'end_of_business_day')
),
-- keys are computed here so that the calendar joins below carry as few columns as possible
applied AS (
  SELECT
    {{cut.group_columns(table=c, time=c.started_at)}},
    c.stage,
    epoch_ms(c.started_at) AS start_ms,
    -- a stop after $now has not happened yet at $now
    CASE WHEN c.stopped_at <= $now THEN epoch_ms(c.stopped_at) END AS stop_ms,
    r.kind, r.amount
  FROM clocks c
  JOIN resolved r ON r.workflow IS NOT DISTINCT FROM c.workflow AND r.lane = c.lane AND r.stage = c.stage
  WHERE c.started_at <= $now
    AND {{cut.filters(table=c, time=c.started_at)}}
),
-- The calendar lookups are ASOF joins over the distinct instants only, joined back by value:
-- an ASOF join sorts its input, and a narrow one sorts several times faster.
-- B(start) and the business day of the start: the first working period ending after it.
starts AS (
  SELECT s.start_ms, p.p_cum + greatest(s.start_ms - p.p_start, 0) AS b_start, p.p_day, p.d_cum, p.d_len
  FROM (SELECT DISTINCT start_ms FROM applied WHERE kind <> 'wall') s
  ASOF LEFT JOIN periods p ON s.start_ms < p.p_end
),
targeted AS (
  SELECT a.* EXCLUDE (amount, start_ms, kind),
         CASE a.kind
           WHEN 'business' THEN s.b_start + a.amount
           WHEN 'end_of_business_day' THEN s.d_cum + s.d_len
           -- the same business time n business days later, or that day's end if that day is shorter
           WHEN 'business_days' THEN n.d_cum + least(s.b_start - s.d_cum, n.d_len)
         END AS b_target
  FROM applied a
  JOIN starts s USING (start_ms)
  LEFT JOIN days n ON n.d_day = CASE WHEN a.kind = 'business_days' THEN s.p_day + a.amount::BIGINT END
  WHERE a.kind <> 'wall'
),
-- the earliest instant business time reaches the target: in the first period whose
-- cumulative end is at or past it
instants AS (
  SELECT t.b_target, p.p_start + (t.b_target - p.p_cum) AS deadline_ms
  FROM (SELECT DISTINCT b_target FROM targeted) t
  ASOF LEFT JOIN periods p ON t.b_target <= p.p_cum_end
),
deadlines AS (
  SELECT t.* EXCLUDE (b_target), i.deadline_ms
  FROM targeted t LEFT JOIN instants i USING (b_target)
  UNION ALL BY NAME
  SELECT a.* EXCLUDE (amount, start_ms, kind), a.start_ms + a.amount AS deadline_ms
  FROM applied a WHERE a.kind = 'wall'
)
SELECT
  g_workflow, g_tier, g_lane, g_model_version, g_policy_version, g_reviewer, g_bucket, stage,
  count(*) FILTER (WHERE stop_ms <= deadline_ms)                                       AS met,
  count(*) FILTER (WHERE stop_ms > deadline_ms)                                        AS breached_stopped,
  count(*) FILTER (WHERE stop_ms IS NULL AND epoch_ms($now::TIMESTAMP) > deadline_ms)  AS open_breached,
  count(*) FILTER (WHERE stop_ms IS NULL AND epoch_ms($now::TIMESTAMP) <= deadline_ms) AS pending,
  max(epoch_ms($now::TIMESTAMP) - deadline_ms) FILTER (WHERE stop_ms IS NULL AND epoch_ms($now::TIMESTAMP) > deadline_ms) / 1000.0 AS max_overdue_seconds
FROM deadlines
GROUP BY ALL
ORDER BY ALL;
