import { HIGH_RISK_SIGNALS } from '../../events/vocabulary.js';
import { cutParams } from '../cuts.js';
import type { MetricFamily } from '../family.js';
import { buildGroups, num } from '../group-rows.js';
import { rate, type Rate } from '../rate.js';
import { calendarForData } from '../sla/data-calendar.js';
import { calendarParams, ruleParams } from '../sla/params.js';
import { STAGES, type Stage } from '../../config/sla-policy.js';
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

/** Met and breached SLA clocks per stage, open breaches included (docs/metrics/queues-sla.md#sla-breaches). */
export const slaFamily: MetricFamily = {
  name: 'sla',
  description: 'SLA clocks met and breached per stage (acknowledge, complete, escalate, ...), open breaches included',
  async compute({ store, cuts, config, now }) {
    const policy = config.sla;
    const periods = await calendarForData(store, policy, now);
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
