import { cutsSchema, type Cuts } from '../metrics/cuts.js';
import type { FamilyResult, MetricFamily } from '../metrics/family.js';
import { agreementFamily } from '../metrics/families/agreement.js';
import { controlsFamily } from '../metrics/families/controls.js';
import { driftFamily } from '../metrics/families/drift.js';
import { qualityFamily } from '../metrics/families/quality.js';
import { queuesFamily } from '../metrics/families/queues.js';
import { reviewersFamily } from '../metrics/families/reviewers.js';
import { slaFamily } from '../metrics/families/sla.js';
import { FAMILIES } from '../metrics/registry.js';
import type { MetricsRunner, MetricsSnapshot } from '../metrics/runner.js';
import { HIGH_RISK_SIGNALS } from '../events/vocabulary.js';
import type { MetricsConfig } from '../config/metrics.js';
import { Q } from '../store/queries.js';
import type { DisagreementRow, LogEventRow, ReviewerProgressRow, VersionRow } from '../store/review-rows.js';
import type { Store } from '../store/store.js';
import { previousPeriod, windowsOf, type Period } from './period.js';
import { reviewerNamer, type ReviewerIds } from './pseudonym.js';
import { binsByWorkflow, DEFAULT_GRID, estimateWhatIf, type WhatIf } from './whatif.js';
import { cutParams } from '../metrics/cuts.js';

export interface ReviewRequest {
  period: Period;
  workflow?: string;
  ids: ReviewerIds;
  /** Refresh the derived tables first (the CLI does; the server uses its last scheduled refresh unless asked). */
  fresh: boolean;
  /** Include the triage what-if (quarterly reviews always do). */
  whatif?: boolean;
  /** Prefix of case links: `${caseLinkBase}/v1/cases/<id>`; '' keeps them relative to the server. */
  caseLinkBase: string;
}

export interface ReviewDeps {
  store: Store;
  runner: MetricsRunner;
  config: MetricsConfig;
  clock?: () => Date;
}

/** A sampling.changed event (docs/contracts: owned by the sampling controller) as the report lists it. */
export interface SamplingChange {
  ts: Date;
  workflow: string | null;
  from_state: string | null;
  to_state: string | null;
  from_rate: number | null;
  to_rate: number | null;
  cause: string | null;
  detail: string | null;
  actor: string;
}

export interface ReviewData {
  generated_at: Date;
  period: Period;
  previous: Period;
  workflow: string | null;
  ids: ReviewerIds['mode'];
  name: (id: string | null | undefined) => string;
  caseLinkBase: string;
  /** The query string /v1/metrics answers the same headline numbers for. */
  metricsQuery: Record<string, string>;
  current: MetricsSnapshot;
  before: MetricsSnapshot;
  trend: MetricsSnapshot;
  slaTrend: MetricsSnapshot;
  /** Open queue items at the period's end (or now, if earlier). */
  queuesAtEnd: FamilyResult;
  queuesAt: Date;
  drift: { from: Date; to: Date; result: FamilyResult }[];
  logEvents: LogEventRow[];
  sampling: SamplingChange[];
  versions: { introduced: VersionRow[]; inForce: VersionRow[] };
  disagreements: DisagreementRow[];
  progress: ReviewerProgressRow[];
  whatif: WhatIf[] | null;
  timings: Record<string, number>;
}

const HEADLINE: readonly MetricFamily[] = [qualityFamily, queuesFamily, slaFamily, agreementFamily, controlsFamily, reviewersFamily];
const DRIFT_WINDOW_DAYS = 7;

/** Everything a review shows, from the metric families (not recomputed here) and the review queries. */
export async function gatherReview(deps: ReviewDeps, req: ReviewRequest): Promise<ReviewData> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      timings[name] = Math.round(performance.now() - t);
    }
  };
  const now = (deps.clock ?? (() => new Date()))();
  const { period } = req;
  const previous = previousPeriod(period);
  const metricsQuery: Record<string, string> = {
    ...(req.workflow ? { workflow: req.workflow } : {}),
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    group_by: '',
  };
  const cut = (extra: Record<string, unknown> = {}, p: Period = period): Cuts =>
    cutsSchema.parse({ ...(req.workflow ? { workflow: req.workflow } : {}), from: p.from.toISOString(), to: p.to.toISOString(), group_by: '', ...extra });
  // the first computation refreshes the derived tables once (when asked); the rest reuse them
  const current = await timed('current', () => deps.runner.compute(cut(), { refresh: req.fresh, families: FAMILIES }));
  const [before, trend, slaTrend] = await Promise.all([
    timed('previous', () => deps.runner.compute(cut({}, previous), { families: HEADLINE })),
    timed('trend', () => deps.runner.compute(cut({ bucket: period.bucket }), { families: [qualityFamily, queuesFamily] })),
    timed('sla_trend', () => deps.runner.compute(cut({ bucket: period.bucket, group_by: 'lane' }), { families: [slaFamily] })),
  ]);
  const queuesAt = period.to < now ? period.to : now;
  const queuesAtEnd = await timed('queues_at_end', () => queuesFamily.compute({ store: deps.store, cuts: cut(), config: deps.config, now: queuesAt }));
  const drift = await timed('drift', async () => {
    const out: ReviewData['drift'] = [];
    for (const w of windowsOf(period, DRIFT_WINDOW_DAYS)) {
      if (w.from >= now) break;
      const snap = await deps.runner.compute(cut({ from: w.from.toISOString(), to: w.to.toISOString() }), { families: [driftFamily] });
      out.push({ ...w, result: snap.families.drift });
    }
    return out;
  });
  const params = cutParams(cut());
  const [logEvents, versions, disagreements, progress, bins] = await timed('review_queries', () =>
    Promise.all([
      deps.store.query(Q.reviewLogEvents, params),
      deps.store.query(Q.reviewVersions, params),
      deps.store.query(Q.reviewDisagreements, params),
      deps.store.query(Q.reviewerProgress, { ...params, now }),
      req.whatif || period.kind === 'quarter' ? deps.store.query(Q.whatIfBins, { ...params, high_risk_signals: [...HIGH_RISK_SIGNALS] }) : Promise.resolve(null),
    ]),
  );
  const whatif = bins ? [...binsByWorkflow(bins).values()].map((rows) => estimateWhatIf(rows, DEFAULT_GRID)) : null;
  const name = reviewerNamer(req.ids);
  return {
    generated_at: now,
    period,
    previous,
    workflow: req.workflow ?? null,
    ids: req.ids.mode,
    name,
    caseLinkBase: req.caseLinkBase,
    metricsQuery,
    current,
    before,
    trend,
    slaTrend,
    queuesAtEnd,
    queuesAt,
    drift,
    logEvents: logEvents.filter((e) => e.type !== 'sampling.changed'),
    sampling: logEvents.filter((e) => e.type === 'sampling.changed').map((e) => samplingChange(e, name)),
    versions: {
      introduced: versions.filter((v) => v.first_seen >= period.from && v.first_seen < period.to),
      inForce: versions.filter((v) => v.first_seen < period.to && v.last_seen >= period.from),
    },
    disagreements,
    progress,
    whatif,
    timings,
  };
}

/** The contract's fields: stored beyond the columns, in attrs (src/events/row.ts). */
function samplingChange(e: LogEventRow, name: (id: string | null) => string): SamplingChange {
  let a: Record<string, unknown> = {};
  try {
    a = e.attrs ? (JSON.parse(e.attrs) as Record<string, unknown>) : {};
  } catch {
    // attrs is validated JSON at ingest; an unreadable one shows as blanks
  }
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);
  const numOf = (k: string) => (typeof a[k] === 'number' ? (a[k] as number) : null);
  return {
    ts: e.ts,
    workflow: e.workflow,
    from_state: str('from_state'),
    to_state: str('to_state'),
    from_rate: numOf('from_rate'),
    to_rate: numOf('to_rate'),
    cause: str('cause'),
    detail: str('detail'),
    actor: e.actor_id ? name(e.actor_id) : (e.actor_role ?? 'system'),
  };
}
