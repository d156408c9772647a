import { LANES } from '../../events/vocabulary.js';
import type { CalendarReach, DeadlineRule, WorkingPeriod } from './calendar.js';
import type { LaneOverrides, SlaPolicy, Stage, TargetConfig } from '../../config/sla-policy.js';
import type { SlaCalendarParams, SlaRuleParams } from '../../store/queries.js';

export function ruleOf(t: TargetConfig): DeadlineRule {
  if ('minutes' in t) return { kind: t.clock, ms: Math.round(t.minutes * 60_000) };
  if ('businessDays' in t) return { kind: 'business_days', days: t.businessDays };
  return { kind: 'end_of_business_day' };
}

/** 'off' marks a clock a workflow switched off, so that the lane's default does not apply. */
type RuleKind = DeadlineRule['kind'] | 'off';

interface RuleRow {
  workflow: string;
  lane: string;
  stage: Stage;
  kind: RuleKind;
  amount: number;
}

function row(workflow: string, lane: string, stage: Stage, t: TargetConfig | null): RuleRow {
  if (t === null) return { workflow, lane, stage, kind: 'off', amount: 0 };
  const r = ruleOf(t);
  return { workflow, lane, stage, kind: r.kind, amount: r.kind === 'business_days' ? r.days : 'ms' in r ? r.ms : 0 };
}

/**
 * The policy as parallel lists, which metrics/sla/breaches.sql unnests into a rule table: bound as
 * parameters, never pasted into the SQL. Workflow '' is every workflow (the lane defaults);
 * a workflow's own row wins over it.
 */
export function ruleParams(policy: SlaPolicy): SlaRuleParams {
  const rows: RuleRow[] = [];
  for (const lane of LANES) {
    for (const [stage, t] of Object.entries(policy.lanes[lane])) if (t) rows.push(row('', lane, stage as Stage, t));
  }
  for (const [workflow, o] of Object.entries(policy.workflows)) {
    for (const [lane, stages] of Object.entries(o.lanes)) {
      for (const [stage, t] of Object.entries((stages ?? {}) as LaneOverrides)) rows.push(row(workflow, lane, stage as Stage, t ?? null));
    }
  }
  return {
    rule_workflow: rows.map((r) => r.workflow),
    rule_lane: rows.map((r) => r.lane),
    rule_stage: rows.map((r) => r.stage),
    rule_kind: rows.map((r) => r.kind),
    rule_amount: rows.map((r) => r.amount),
  };
}

/** The working periods as parallel lists of epoch milliseconds. */
export function calendarParams(periods: readonly WorkingPeriod[]): SlaCalendarParams {
  return {
    cal_start: periods.map((p) => p.start),
    cal_end: periods.map((p) => p.end),
    cal_cum: periods.map((p) => p.cumBefore),
    cal_day: periods.map((p) => p.day),
  };
}

/** The longest business-time target of the policy: how far past the data the calendar must go. */
export function calendarReach(policy: SlaPolicy): CalendarReach {
  const reach: CalendarReach = { businessMs: 0, businessDays: 0 };
  const targets = [
    ...Object.values(policy.lanes).flatMap((l) => Object.values(l)),
    ...Object.values(policy.workflows).flatMap((w) => Object.values(w.lanes).flatMap((l) => Object.values(l ?? {}))),
  ];
  for (const t of targets) {
    if (!t) continue;
    const r = ruleOf(t);
    if (r.kind === 'business') reach.businessMs = Math.max(reach.businessMs, r.ms);
    // the same-day rule may roll an off-hours arrival over to the next business day
    if (r.kind === 'business_days' || r.kind === 'end_of_business_day') {
      reach.businessDays = Math.max(reach.businessDays, r.kind === 'business_days' ? r.days : 1);
    }
  }
  return reach;
}
