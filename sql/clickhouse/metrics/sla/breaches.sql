-- SLA outcomes per cut and stage (docs/metrics/queues-sla.md#sla-breaches). Twin of
-- sql/duckdb/metrics/sla/breaches.sql: policy and business calendar come as parallel parameter lists
-- (rule_*, cal_*), zipped here by ARRAY JOIN. ClickHouse's ASOF JOIN needs an equality and a
-- non-Nullable column to search on, hence the constant key `k` and the guards on NULL targets.
WITH
rules AS (
  SELECT r_workflow, r_lane, r_stage, r_kind, r_amount
  FROM system.one
  ARRAY JOIN {rule_workflow:Array(String)} AS r_workflow, {rule_lane:Array(String)} AS r_lane,
             {rule_stage:Array(String)} AS r_stage, {rule_kind:Array(String)} AS r_kind,
             {rule_amount:Array(Float64)} AS r_amount
),
cal AS (
  SELECT p_start, p_end, p_cum, p_day
  FROM system.one
  ARRAY JOIN {cal_start:Array(Int64)} AS p_start, {cal_end:Array(Int64)} AS p_end,
             {cal_cum:Array(Int64)} AS p_cum, {cal_day:Array(Int64)} AS p_day
),
days AS (SELECT p_day AS d_day, min(p_cum) AS d_cum, sum(p_end - p_start) AS d_len FROM cal GROUP BY p_day),
periods AS (
  SELECT 0 AS k, c.p_start AS p_start, c.p_end AS p_end, c.p_cum AS p_cum, c.p_day AS p_day,
         c.p_cum + (c.p_end - c.p_start) AS p_cum_end, d.d_cum AS d_cum, d.d_len AS d_len
  FROM cal c JOIN days d ON d.d_day = c.p_day
),
ev AS (SELECT * FROM {database}.log_events WHERE type IN ('line.stopped', 'line.resumed') AND workflow IS NOT NULL),
line_stops AS (
  SELECT s.workflow AS workflow, s.ts AS started_at, r.ts AS stopped_at
  FROM (SELECT assumeNotNull(workflow) AS workflow, ts FROM ev WHERE type = 'line.stopped') s
  ASOF LEFT JOIN (SELECT assumeNotNull(workflow) AS workflow, ts FROM ev WHERE type = 'line.resumed') r
    ON s.workflow = r.workflow AND s.ts < r.ts
),
-- a case clock also stops at the case's first close: the item has left the queue. One read
-- of case_clocks, each case's clocks unrolled by ARRAY JOIN (a UNION ALL of a SELECT per stage
-- read the table six times: most of the query's rows read).
clocks AS (
  -- (the tuple's alias apart from the table's columns: a ClickHouse alias shadows a column)
  SELECT ck.1 AS stage, ck.2 AS reviewer, ck.3 AS started_at, ck.4 AS stopped_at, workflow, tier, lane, model_version, policy_version
  FROM (
    SELECT arrayJoin(arrayFilter(x -> x.5, [
      ('acknowledge', first_assignee, first_assigned_at, least(first_ack_at, first_closed_at), first_assigned_at IS NOT NULL),
      ('complete', coalesce(completed_by, last_assignee), started_at, completed_at, started_at IS NOT NULL),
      ('primary', coalesce(primary_by, first_assignee), started_at, least(primary_at, first_closed_at), lane = 'dual_review' AND started_at IS NOT NULL),
      ('secondary', coalesce(secondary_by, last_assignee), started_at, least(secondary_at, first_closed_at), lane = 'dual_review' AND started_at IS NOT NULL),
      -- high risk: tier 3 or a high-risk signal; any decision (escalate included) or escalation stops it
      ('escalate', first_assignee, started_at, least(first_decided_at, first_escalated_at, first_closed_at),
       started_at IS NOT NULL AND ifNull(tier = 3 OR hasAny(risk_signals, {high_risk_signals:Array(String)}), false)),
      ('sample_review', first_auditor, started_at, first_audited_at, ifNull(lane = 'auto_approve' AND sampled AND started_at IS NOT NULL, false))
    ])) AS ck, workflow, tier, lane, model_version, policy_version
    FROM {database}.case_clocks
    WHERE started_at IS NOT NULL OR first_assigned_at IS NOT NULL
  )
  UNION ALL
  SELECT 'resolve', NULL, started_at, stopped_at, workflow, NULL, 'stop_the_line', NULL, NULL
  FROM line_stops
),
-- the policy's rules as lookup arrays, a workflow's own and the lane defaults: each clock finds
-- its rule by key (transform: a hash lookup) instead of two left joins of every clock and a
-- filter over them. The leading entry, which no key equals, keeps every array non-empty.
rule_keys AS (
  SELECT arrayConcat([''], groupArrayIf(concat(r_workflow, '\t', r_lane, '\t', r_stage), r_workflow != '')) AS own_keys,
         arrayConcat([''], groupArrayIf(r_kind, r_workflow != ''))                                        AS own_kinds,
         arrayConcat([0.], groupArrayIf(r_amount, r_workflow != ''))                                      AS own_amounts,
         arrayConcat([''], groupArrayIf(concat(r_lane, '\t', r_stage), r_workflow = ''))                  AS lane_keys,
         arrayConcat([''], groupArrayIf(r_kind, r_workflow = ''))                                         AS lane_kinds,
         arrayConcat([0.], groupArrayIf(r_amount, r_workflow = ''))                                       AS lane_amounts
  FROM rules
),
applied AS (
  WITH (SELECT own_keys FROM rule_keys) AS r_own_keys, (SELECT own_kinds FROM rule_keys) AS r_own_kinds,
       (SELECT own_amounts FROM rule_keys) AS r_own_amounts, (SELECT lane_keys FROM rule_keys) AS r_lane_keys,
       (SELECT lane_kinds FROM rule_keys) AS r_lane_kinds, (SELECT lane_amounts FROM rule_keys) AS r_lane_amounts
  SELECT 0 AS k, c.stage AS stage, c.reviewer AS reviewer, c.started_at AS started_at, c.workflow AS workflow, c.tier AS tier,
         c.lane AS lane, c.model_version AS model_version, c.policy_version AS policy_version,
         toUnixTimestamp64Milli(assumeNotNull(c.started_at)) AS start_ms,
         -- a stop after now has not happened yet at now
         if(c.stopped_at <= {now:DateTime64(3, 'UTC')}, toUnixTimestamp64Milli(c.stopped_at), NULL) AS stop_ms,
         -- a workflow's own rule ('off' included) wins over the lane's default; no rule is ''
         transform(ifNull(concat(c.workflow, '\t', c.lane, '\t', c.stage), ''), r_own_keys, r_own_kinds, '') AS own_kind,
         if(own_kind != '', own_kind, transform(ifNull(concat(c.lane, '\t', c.stage), ''), r_lane_keys, r_lane_kinds, '')) AS kind,
         if(own_kind != '', transform(ifNull(concat(c.workflow, '\t', c.lane, '\t', c.stage), ''), r_own_keys, r_own_amounts, 0.),
            transform(ifNull(concat(c.lane, '\t', c.stage), ''), r_lane_keys, r_lane_amounts, 0.)) AS amount
  FROM clocks c
  WHERE c.started_at <= {now:DateTime64(3, 'UTC')}
    AND kind IN ('wall', 'business', 'business_days', 'end_of_business_day')
    AND {{cut.filters(table=c, time=c.started_at)}}
),
-- business time B(start) and business day of the start: the first working period ending after
-- it. Wall-clock rules go through the same joins and ignore them: a CTE used twice would be
-- computed twice, and `applied` is the expensive one.
on_calendar AS (
  SELECT a.*, p.p_cum + greatest(a.start_ms - p.p_start, 0) AS b_start, p.p_day AS p_day, p.d_cum AS d_cum, p.d_len AS d_len
  FROM applied a ASOF LEFT JOIN periods p ON a.k = p.k AND a.start_ms < p.p_end
),
targeted AS (
  SELECT o.*,
         multiIf(o.kind = 'business', toFloat64(o.b_start + o.amount),
                 o.kind = 'end_of_business_day', toFloat64(o.d_cum + o.d_len),
                 -- the same business time n business days later, or that day's end if it is shorter
                 o.kind = 'business_days', toFloat64(n.d_cum + least(o.b_start - o.d_cum, n.d_len)),
                 NULL) AS b_target
  FROM on_calendar o
  LEFT JOIN days n ON n.d_day = if(o.kind = 'business_days', o.p_day + toInt64(round(o.amount)), -1)
),
-- the earliest instant business time reaches the target: the first period whose cumulative end
-- is at or past it (searched by the integer ceiling: the cumulative ends are whole milliseconds)
deadlines AS (
  SELECT t.stage AS stage, t.reviewer AS reviewer, t.started_at AS started_at, t.workflow AS workflow, t.tier AS tier,
         t.lane AS lane, t.model_version AS model_version, t.policy_version AS policy_version, t.stop_ms AS stop_ms,
         multiIf(t.kind = 'wall', toFloat64(t.start_ms + t.amount),
                 t.b_target IS NULL, NULL,
                 toFloat64(p.p_start + (t.b_target - p.p_cum))) AS deadline_ms
  FROM (SELECT *, toInt64(ceil(ifNull(b_target, -1))) AS b_search FROM targeted) t
  ASOF LEFT JOIN periods p ON t.k = p.k AND t.b_search <= p.p_cum_end
)
SELECT
  {{cut.group_columns(time=started_at)}},
  stage,
  countIf(stop_ms <= deadline_ms)                                                                  AS met,
  countIf(stop_ms > deadline_ms)                                                                   AS breached_stopped,
  countIf(stop_ms IS NULL AND toUnixTimestamp64Milli({now:DateTime64(3, 'UTC')}) > deadline_ms)   AS open_breached,
  countIf(stop_ms IS NULL AND toUnixTimestamp64Milli({now:DateTime64(3, 'UTC')}) <= deadline_ms)  AS pending,
  maxIfOrNull(toUnixTimestamp64Milli({now:DateTime64(3, 'UTC')}) - deadline_ms,
              stop_ms IS NULL AND toUnixTimestamp64Milli({now:DateTime64(3, 'UTC')}) > deadline_ms) / 1000.0 AS max_overdue_seconds
FROM deadlines
GROUP BY ALL
ORDER BY ALL;
