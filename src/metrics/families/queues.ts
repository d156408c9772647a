import { LANES, LEVELS, type Lane } from '../../events/vocabulary.js';
import { cutParams } from '../cuts.js';
import type { MetricFamily } from '../family.js';
import { buildGroups, num } from '../group-rows.js';
import { Q, type QueueParams } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import type { Cuts } from '../cuts.js';
import { cachedResult } from '../result-cache.js';

/** Lanes whose cases wait for a person; a case triaged into one and not yet assigned is queued at "unassigned". */
export const REVIEWED_LANES: readonly Lane[] = LANES.filter((l) => l !== 'auto_approve' && l !== 'reject');

export const TIME_TO_STAGES = ['acknowledge', 'decide', 'escalate', 'close'] as const;
const LEVEL_KEYS = [...LEVELS.map(String), 'unassigned'] as const;

export type Quantiles = {
  p50: number | null;
  p90: number | null;
  p99: number | null;
};

export type OpenItems = {
  open_items: number;
  oldest_age_seconds: number | null;
  age_seconds: Quantiles;
};

export type QueueMetrics = OpenItems & {
  by_level: Record<(typeof LEVEL_KEYS)[number], OpenItems>;
  time_to: Record<(typeof TIME_TO_STAGES)[number], { n: number } & Quantiles>;
};

/** The quantile_cont([0.5, 0.9, 0.99]) list of a row; all null when the group has no row. */
function quantiles(row: Record<string, unknown> | undefined, column: string): Quantiles {
  const q = row?.[column] as (number | null)[] | null | undefined;
  return { p50: q?.[0] ?? null, p90: q?.[1] ?? null, p99: q?.[2] ?? null };
}

function openItems(row: Record<string, unknown> | undefined): OpenItems {
  return {
    open_items: num(row, 'open_items'),
    oldest_age_seconds: (row?.oldest_age_seconds as number | null | undefined) ?? null,
    age_seconds: quantiles(row, 'age_quantiles'),
  };
}

/**
 * Rows that carry one more key than the cut (level, stage) become one source per value, so
 * that buildGroups lines them up by the cut's key alone.
 */
function splitBy(rows: Record<string, unknown>[], column: string, name: (v: unknown) => string): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const r of rows) (out[name(r[column])] ??= []).push(r);
  return out;
}

const levelName = (l: unknown) => (l === 0 ? 'unassigned' : String(l));

/** Open items and their ages at `now`, and the time each step took (docs/metrics/queues-sla.md#queues). */
export const queuesFamily: MetricFamily = {
  name: 'queues',
  description: 'Open review items and their ages; time to acknowledge, decide, escalate and close',
  async compute({ store, cuts, now }) {
    const params = { ...cutParams(cuts), now, review_lanes: [...REVIEWED_LANES] };
    const [open, timeTo] = await Promise.all([store.query(Q.openItems, params), timeToRows(store, cuts, params)]);
    const totals = open.filter((r) => num(r, 'all_levels') === 1);
    const levels = splitBy(open.filter((r) => num(r, 'all_levels') === 0), 'level', (l) => `level:${levelName(l)}`);
    const stages = splitBy(timeTo, 'stage', (s) => `stage:${String(s)}`);
    const sources: Record<string, Record<string, unknown>[]> = { total: totals, ...levels, ...stages };
    const groups = buildGroups(cuts, sources, (rows): QueueMetrics => ({
      ...openItems(rows.total),
      by_level: Object.fromEntries(LEVEL_KEYS.map((l) => [l, openItems(rows[`level:${l}`])])) as QueueMetrics['by_level'],
      time_to: Object.fromEntries(
        TIME_TO_STAGES.map((s) => [s, { n: num(rows[`stage:${s}`], 'n'), ...quantiles(rows[`stage:${s}`], 'seconds_quantiles') }]),
      ) as QueueMetrics['time_to'],
    }));
    return { family: 'queues', groups };
  },
};

/**
 * time_to's rows, kept with the derived tables' version (issue 14: the family's costliest
 * query, at every one-shot report). They read the clock only to leave out stops after `now`:
 * once `now` is past the latest stop of every clock (last_stop, read in the same computation),
 * they are those of any later `now` too, and are kept; before that (events stamped ahead of
 * the clock), they are computed every time.
 */
async function timeToRows(store: Store, cuts: Cuts, params: QueueParams): Promise<Record<string, unknown>[]> {
  // a millisecond more: a stop stored finer than a millisecond is past its truncated epoch_ms
  const settled = (lastStop: number | null) => lastStop === null || params.now.getTime() > lastStop + 1;
  let fresh: Record<string, unknown>[] | undefined;
  const kept = await cachedResult(store, 'queues/time_to', { cuts }, async () => {
    const [rows, last] = await Promise.all([store.query(Q.timeTo, params), store.query(Q.timeToLastStop)]);
    fresh = rows;
    const stops = Object.values(last[0] ?? {}).filter((v) => v !== null && v !== undefined).map(Number);
    const lastStop = stops.length ? Math.max(...stops) : null;
    return { lastStop, rows: settled(lastStop) ? rows : null };
  });
  if (fresh) return fresh;
  if (kept.rows !== null && settled(kept.lastStop)) return kept.rows;
  return store.query(Q.timeTo, params);
}
