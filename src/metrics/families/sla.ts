import { HIGH_RISK_SIGNALS } from '../../events/vocabulary.js';
import { cutParams } from '../cuts.js';
import type { MetricFamily } from '../family.js';
import { buildGroups, num } from '../group-rows.js';
import { rate, type Rate } from '../rate.js';
import { buildCalendar } from '../sla/calendar.js';
import { calendarParams, calendarReach, ruleParams } from '../sla/params.js';
import { STAGES, type Stage } from '../sla/policy.js';
import { Q } from '../../store/queries.js';

export interface StageOutcome {
  met: number;
  /** Every breach: stopped after the deadline, or still open past it (open_breached is part of it). */
  breached: number;
  open_breached: number;
  /** Still open and not yet due: in no rate's denominator. */
  pending: number;
  /** breached / (met + breached). */
  breach_rate: Rate;
  /** How far past its deadline the most overdue open item is; null when none is. */
  max_overdue_seconds: number | null;
}

const DAY_MS = 86_400_000;

/** Met and breached SLA clocks per stage, open breaches included (docs/metrics/queues-sla.md#sla-breaches). */
export const slaFamily: MetricFamily = {
  name: 'sla',
  description: 'SLA clocks met and breached per stage (acknowledge, complete, escalate, ...), open breaches included',
  async compute({ store, cuts, config, now }) {
    const policy = config.sla;
    const [span] = await store.query(Q.eventTimeSpan);
    const nowMs = now.getTime();
    const from = Math.min(span?.min_ts?.getTime() ?? nowMs, nowMs) - DAY_MS;
    const to = Math.max(span?.max_ts?.getTime() ?? nowMs, nowMs);
    const periods = buildCalendar(policy.calendar, from, to, calendarReach(policy));
    const params = {
      ...cutParams(cuts),
      now,
      high_risk_signals: [...HIGH_RISK_SIGNALS],
      ...ruleParams(policy),
      ...calendarParams(periods),
    };
    const rows = await store.query(Q.slaBreaches, params);
    const byStage: Record<string, Record<string, unknown>[]> = {};
    for (const r of rows) (byStage[r.stage as string] ??= []).push(r);
    const groups = buildGroups(cuts, byStage, (r) => Object.fromEntries(STAGES.map((s) => [s, outcome(r[s])])) as Record<Stage, StageOutcome>);
    return { family: 'sla', groups };
  },
};

function outcome(row: Record<string, unknown> | undefined): StageOutcome {
  const met = num(row, 'met');
  const openBreached = num(row, 'open_breached');
  const breached = num(row, 'breached_stopped') + openBreached;
  return {
    met,
    breached,
    open_breached: openBreached,
    pending: num(row, 'pending'),
    breach_rate: rate(breached, met + breached),
    max_overdue_seconds: (row?.max_overdue_seconds as number | null | undefined) ?? null,
  };
}
