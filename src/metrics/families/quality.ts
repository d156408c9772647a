import { cutParams } from '../cuts.js';
import type { MetricFamily } from '../family.js';
import { buildGroups, num } from '../group-rows.js';
import { rate, type Rate } from '../rate.js';
import { ESCALATION_TRIGGERS, LEVELS, SEVERITIES } from '../../events/vocabulary.js';
import { hajekProportion } from '../stats/proportions.js';
import { Q } from '../../store/queries.js';
import { cachedResult } from '../result-cache.js';
import type { EscalationsRow, IncidentsRow } from '../../store/query-rows.js';

type Row = Record<string, unknown> | undefined;

/** Hájek estimate of the share of accepted work an audit found incorrect, audits weighted 1/π. */
export interface FalseAcceptRate {
  /** null when no accepted case of the group has a valid audit. */
  value: number | null;
  /** 95% Wilson interval on the Kish effective sample size, [lower, upper]; null with value. */
  ci95: [number, number] | null;
  /** Accepted cases, audited or not. */
  accepted: number;
  /** Accepted cases with a valid audit: the sample behind the estimate. */
  audits: number;
  /** Of those, audited incorrect (unweighted). */
  incorrect: number;
  /** Σw: the accepted cases the audits stand for. */
  weighted_n: number;
  /** Σw·y: the incorrect cases they stand for. */
  weighted_incorrect: number;
  /** Kish effective sample size (Σw)²/Σw²; 0 without audits. */
  n_eff: number;
}

export interface Escalations {
  /** case.escalated events. */
  total: number;
  /** By to_level; every level is present, 0 when none. */
  by_level: Record<string, number>;
  /** By trigger; every trigger of the vocabulary is present. */
  by_trigger: Record<string, number>;
  /** Cases escalated at least once (attributed to their first escalation). */
  escalated_cases: number;
  /** Of those, cases a decision at the top level has settled. */
  resolved: number;
  /** Resolved cases the top level settled differently from the levels below. */
  precision: Rate;
}

export interface StopTheLine {
  stops: number;
  resumed: number;
  open: number;
  /** Over every stop: resumed ones to their resume, open ones to `now`; null without stops. */
  time_to_resume_seconds: { p50: number | null; p90: number | null; max: number | null };
}

export interface Incidents {
  total: number;
  /** 1000 × incidents / cases created in the same group; null when no case was created. */
  per_1000_cases: number | null;
  by_severity: Record<string, { count: number; per_1000_cases: number | null }>;
}

/** One group's metrics (a type, not an interface, so that it fits FamilyResult's record). */
export type QualityMetrics = {
  /** Cases created in the group (the cohort of the case-level rates). */
  cases: number;
  override_rate: Rate;
  rework_rate: Rate;
  false_accept_rate: FalseAcceptRate;
  escalations: Escalations;
  stop_the_line: StopTheLine;
  incidents: Incidents;
};

/**
 * Override, rework and false-accept rates, escalations, stop-the-line and incidents
 * (definitions, JSON fields and edge cases: docs/metrics/quality.md).
 */
export const qualityFamily: MetricFamily = {
  name: 'quality',
  description: 'How often humans correct the model, rework, false accepts, escalations, stop-the-line, incidents',
  async compute({ store, cuts, now }) {
    const params = { ...cutParams(cuts), now };
    // the queries that do not read the clock are a function of the derived tables and the cut:
    // their rows are kept in the database (result-cache.ts) and read back while no refresh
    // changed the tables; stop-the-line ages open stops to `now` and runs every time
    const [lines, [caseRates, falseAccepts, escalations, precision, incidents]] = await Promise.all([
      store.query(Q.stopTheLine, params),
      cachedResult(store, 'quality/rows', { cuts }, () =>
        Promise.all([
          store.query(Q.overrideAndReworkRates, params),
          store.query(Q.falseAcceptRate, params),
          store.query(Q.escalations, params),
          store.query(Q.escalationPrecision, params),
          store.query(Q.incidents, params),
        ]),
      ),
    ]);
    const groups = buildGroups(
      cuts,
      { caseRates, falseAccepts, escalations, precision, lines, incidents },
      (r): QualityMetrics => ({
        cases: num(r.caseRates, 'cases'),
        override_rate: rate(num(r.caseRates, 'overridden'), num(r.caseRates, 'human_decided')),
        rework_rate: rate(num(r.caseRates, 'reworked'), num(r.caseRates, 'closed')),
        false_accept_rate: falseAcceptRate(r.falseAccepts),
        escalations: escalationsOf(r.escalations, r.precision),
        stop_the_line: stopTheLine(r.lines),
        incidents: incidentsOf(r.incidents, num(r.caseRates, 'cases')),
      }),
    );
    return { family: 'quality', groups };
  },
};

function falseAcceptRate(r: Row): FalseAcceptRate {
  const audits = num(r, 'audits');
  const sumW = num(r, 'sum_w');
  const sumWy = num(r, 'sum_wy');
  const sumW2 = num(r, 'sum_w2');
  const base = { accepted: num(r, 'accepted'), audits, incorrect: num(r, 'incorrect'), weighted_n: sumW, weighted_incorrect: sumWy };
  if (audits === 0 || sumW <= 0) return { value: null, ci95: null, ...base, n_eff: 0 };
  const est = hajekProportion({ n: audits, sumW, sumWy, sumW2 }, 0.95);
  return { value: est.value, ci95: est.lower === null || est.upper === null ? null : [est.lower, est.upper], ...base, n_eff: est.nEff };
}

function escalationsOf(volume: EscalationsRow | undefined, precision: Row): Escalations {
  return {
    total: num(volume, 'escalations'),
    by_level: counts(volume?.by_level, LEVELS.map(String)),
    by_trigger: counts(volume?.by_trigger, ESCALATION_TRIGGERS),
    escalated_cases: num(precision, 'escalated_cases'),
    resolved: num(precision, 'resolved'),
    precision: rate(num(precision, 'changed'), num(precision, 'resolved')),
  };
}

function stopTheLine(r: Row): StopTheLine {
  const stops = num(r, 'stops');
  const resumed = num(r, 'resumed');
  return {
    stops,
    resumed,
    open: stops - resumed,
    time_to_resume_seconds: { p50: orNull(r, 'p50_seconds'), p90: orNull(r, 'p90_seconds'), max: orNull(r, 'max_seconds') },
  };
}

function incidentsOf(r: IncidentsRow | undefined, cases: number): Incidents {
  const per1000 = (n: number) => (cases > 0 ? (1000 * n) / cases : null);
  const bySeverity = counts(r?.by_severity, SEVERITIES);
  const total = num(r, 'incidents');
  return {
    total,
    per_1000_cases: per1000(total),
    by_severity: Object.fromEntries(
      Object.entries(bySeverity).map(([sev, count]) => [sev, { count, per_1000_cases: per1000(count) }]),
    ),
  };
}

/** A histogram column (an object of counts, as both stores decode it) over a fixed vocabulary, so every key is always present. */
function counts(value: Record<string, number> | null | undefined, keys: readonly string[]): Record<string, number> {
  return { ...Object.fromEntries(keys.map((k) => [k, 0])), ...value };
}

function orNull(r: Row, column: string): number | null {
  const v = r?.[column];
  return typeof v === 'number' ? v : null;
}
